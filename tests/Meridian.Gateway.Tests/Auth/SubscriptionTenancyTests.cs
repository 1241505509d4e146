using System.Net;
using System.Text.Json.Nodes;
using Meridian.Gateway.Tests.Composition;
using Meridian.Processing.Tests.Notifications;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>
/// Webhook subscriptions under tenancy: a subscription is its creator's tenant's (another tenant's is a 404 to list,
/// read, delete or see the deliveries of) and receives the events of the jobs its creator sees: its tenant's and the
/// public ones, every job's for an admin's. Real receivers on loopback.
/// </summary>
public sealed class SubscriptionTenancyTests : IAsyncLifetime
{
    private const string Secret = "tenant-receiver-secret-0123";
    private const string Point = """{"input": {"type": "Point", "coordinates": [7.4, 46.9]}}""";

    private TenantsHost _tenants = null!;
    private WebhookReceiver _acmeHook = null!;
    private WebhookReceiver _globexHook = null!;
    private WebhookReceiver _adminHook = null!;

    public async Task InitializeAsync()
    {
        _acmeHook = await WebhookReceiver.StartAsync(Secret, failures: 0);
        _globexHook = await WebhookReceiver.StartAsync(Secret, failures: 0);
        _adminHook = await WebhookReceiver.StartAsync(Secret, failures: 0);
        _tenants = await TenantsHost.StartAsync(new Dictionary<string, string?>
        {
            // The receivers listen on loopback.
            ["Notifications:AllowPrivateNetworks"] = "true",
            ["Notifications:FirstRetrySeconds"] = "0.05",
            // An anonymous execution makes a public job.
            ["Security:AnonymousProcesses:0"] = "centroid",
        });
    }

    public async Task DisposeAsync()
    {
        await _tenants.DisposeAsync();
        await _acmeHook.DisposeAsync();
        await _globexHook.DisposeAsync();
        await _adminHook.DisposeAsync();
    }

    private async Task<string> SubscribeAsync(string key, WebhookReceiver receiver)
    {
        var response = await _tenants.SendAsync(HttpMethod.Post, "/subscriptions", key,
            $$"""{"url": "{{receiver.Address}}/hook", "secret": "{{Secret}}", "topics": ["job.accepted", "job.successful"]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    /// <summary>Runs a centroid job as the caller to its end; its id.</summary>
    private async Task<string> RunJobAsync(string? key)
    {
        var submitted = await _tenants.ExecuteAsync("centroid", key!, Point, async: true);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal("successful", (string?)(await _tenants.WaitForJobAsync(submitted.Headers.Location!, key))["status"]);
        return submitted.Headers.Location!.Segments[^1];
    }

    private static Task<bool> ReceivedAsync(WebhookReceiver receiver, string job) =>
        Poll.UntilAsync(() => receiver.Accepted.Count(a => a.JobId == job) == 2);

    [Fact]
    public async Task A_subscription_receives_its_tenants_jobs_events_only_and_an_admins_every_jobs()
    {
        await SubscribeAsync(_tenants.Acme, _acmeHook);
        await SubscribeAsync(_tenants.Globex, _globexHook);
        await SubscribeAsync(_tenants.Admin, _adminHook);

        // globex's job first: each subscription's events arrive in the order they happened, so once acme's receiver
        // has acme's later job's events, it would have had globex's before them.
        var globexJob = await RunJobAsync(_tenants.Globex);
        var acmeJob = await RunJobAsync(_tenants.Acme);

        Assert.True(await ReceivedAsync(_acmeHook, acmeJob), "acme's subscription did not get its job's events");
        Assert.True(await ReceivedAsync(_globexHook, globexJob), "globex's subscription did not get its job's events");
        Assert.True(await ReceivedAsync(_adminHook, acmeJob) && await ReceivedAsync(_adminHook, globexJob), "the admin's subscription missed events");
        Assert.Equal([acmeJob], _acmeHook.Accepted.Select(a => a.JobId).Distinct());
        Assert.Equal([globexJob], _globexHook.Accepted.Select(a => a.JobId).Distinct());
    }

    [Fact]
    public async Task A_public_jobs_events_go_to_every_tenants_subscription()
    {
        await SubscribeAsync(_tenants.Acme, _acmeHook);
        await SubscribeAsync(_tenants.Globex, _globexHook);

        var submitted = await _tenants.Host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/processes/centroid/execution")
        {
            Content = new StringContent($$"""{"inputs": {{Point}}}""", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Prefer", "respond-async" } },
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var job = submitted.Headers.Location!.Segments[^1];

        Assert.True(await ReceivedAsync(_acmeHook, job), "acme's subscription did not get the public job's events");
        Assert.True(await ReceivedAsync(_globexHook, job), "globex's subscription did not get the public job's events");
    }

    [Fact]
    public async Task Another_tenants_subscription_is_not_found()
    {
        var acme = await SubscribeAsync(_tenants.Acme, _acmeHook);
        var admin = await SubscribeAsync(_tenants.Admin, _adminHook);

        foreach (var path in new[] { $"/subscriptions/{acme}", $"/subscriptions/{acme}/deliveries" })
            Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, path, _tenants.Globex)).StatusCode);
        var deleted = await _tenants.SendAsync(HttpMethod.Delete, $"/subscriptions/{acme}", _tenants.Globex);
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        Assert.Equal("application/problem+json", deleted.Content.Headers.ContentType?.MediaType);
        // An admin's subscription receives every tenant's events: its deliveries are for admins only.
        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, $"/subscriptions/{admin}/deliveries", _tenants.Acme)).StatusCode);

        Assert.Equal([acme], await ListedAsync(_tenants.Acme));
        Assert.Empty(await ListedAsync(_tenants.Globex));
        Assert.Equal([acme, admin], await ListedAsync(_tenants.Admin));
        Assert.Equal(HttpStatusCode.OK, (await _tenants.SendAsync(HttpMethod.Get, $"/subscriptions/{acme}", _tenants.Acme)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _tenants.SendAsync(HttpMethod.Delete, $"/subscriptions/{acme}", _tenants.Admin)).StatusCode);
    }

    [Theory]
    [InlineData("""{"url": "ftp://example.com/hook", "topics": ["job.accepted"]}""")]
    [InlineData("""{"url": "https://example.com/hook", "topics": []}""")]
    [InlineData("""[1, 2]""")]
    public async Task A_bad_subscription_stays_a_problem(string body)
    {
        var response = await _tenants.SendAsync(HttpMethod.Post, "/subscriptions", _tenants.Acme, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<List<string>> ListedAsync(string key)
    {
        var list = JsonNode.Parse(await (await _tenants.SendAsync(HttpMethod.Get, "/subscriptions", key)).Content.ReadAsStringAsync())!;
        return list["subscriptions"]!.AsArray().Select(s => (string)s!["id"]!).ToList();
    }
}
