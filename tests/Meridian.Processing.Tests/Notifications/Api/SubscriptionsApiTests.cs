using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Meridian.Processing.Tests.Notifications.Api;

public sealed class SubscriptionsApiTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ProcessingHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ProcessingHost.StartAsync(_data.Path, []);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private Task<HttpResponseMessage> PostAsync(string json) => Client.PostAsync("subscriptions", new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_subscription_shows_its_secret_once()
    {
        var created = await PostAsync("""{"url":"http://127.0.0.1:9/hook","topics":["job.failed"]}""");
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(64, ((string)body["secret"]!).Length);
        var read = JsonNode.Parse(await Client.GetStringAsync(created.Headers.Location))!;
        Assert.Null(read["secret"]);
        Assert.Equal("job.failed", (string?)Assert.Single(read["topics"]!.AsArray()));
        var listed = JsonNode.Parse(await Client.GetStringAsync("subscriptions"))!["subscriptions"]!.AsArray();
        Assert.Null(Assert.Single(listed)!["secret"]);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync(created.Headers.Location)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(created.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task Every_mistake_in_a_request_is_listed_in_one_400()
    {
        var response = await PostAsync("""{"url":"ftp://user:pw@host/x","topics":["job.exploded",3],"secret":"short","workflow":"no spaces","color":"red"}""");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(6, errors.Count);
        Assert.Contains("unknown member 'color' (allowed: url, topics, jobId, workflow, secret)", errors);
        Assert.Contains(errors, e => e.StartsWith("url must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("'job.exploded' is not a topic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("'3' is not a topic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("secret has 16 to 256 characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("workflow is a workflow name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"url":5,"topics":"job.failed"}""")]
    [InlineData("""{"url":"http://x","topics":[]}""")]
    [InlineData("{")]
    public async Task Malformed_requests_are_400s(string json) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(json)).StatusCode);

    [Theory]
    [InlineData("GET", "subscriptions")]
    [InlineData("POST", "subscriptions")]
    [InlineData("GET", "subscriptions/0123456789abcdef0123456789abcdef/deliveries")]
    public async Task Subscriptions_need_the_credential(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = Client.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1e309")]
    [InlineData("0")]
    [InlineData("")]
    public async Task A_bad_delivery_history_limit_is_a_400_problem_naming_limit(string limit)
    {
        var response = await Client.GetAsync($"subscriptions/0123456789abcdef0123456789abcdef/deliveries?limit={limit}");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("limit", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("subscriptions/nope")]
    [InlineData("subscriptions/..%2F..%2Fetc")]
    [InlineData("subscriptions/0123456789abcdef0123456789abcdef/deliveries")]
    public async Task Unknown_subscriptions_are_404s(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(path)).StatusCode);
}
