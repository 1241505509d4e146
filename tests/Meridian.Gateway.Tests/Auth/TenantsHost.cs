using System.Text.Json.Nodes;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Tests.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>
/// Meridian with <c>Gateway:Auth:Enabled</c> and a key each for the tenants acme and globex (<c>write</c>) and for
/// an admin (tenant ops), sending requests as any of them (no key: anonymous).
/// </summary>
public sealed class TenantsHost : IAsyncDisposable
{
    private TenantsHost(MeridianTestHost host) => Host = host;

    public MeridianTestHost Host { get; }

    public string Acme { get; private set; } = null!;

    public string Globex { get; private set; } = null!;

    public string Admin { get; private set; } = null!;

    /// <param name="settings">More configuration keys, relative to "Meridian:".</param>
    public static async Task<TenantsHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Gateway:Auth:Enabled"] = "true" };
        var tenants = new TenantsHost(await MeridianTestHost.StartAsync(all));
        tenants.Acme = await tenants.KeyAsync("acme", "write");
        tenants.Globex = await tenants.KeyAsync("globex", "write");
        tenants.Admin = await tenants.KeyAsync("ops", "admin");
        return tenants;
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private async Task<string> KeyAsync(string tenant, string scope)
    {
        var (id, key) = ApiKeys.Generate();
        await Host.Services.GetRequiredService<IApiKeyStore>().AddAsync(new ApiKeyRecord(id, tenant, [scope], null, DateTimeOffset.UtcNow, null, null), ApiKeys.Hash(key));
        return key;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add(ApiKeyAuthenticator.Header, key);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return Host.Client.SendAsync(request);
    }

    /// <summary>A point at Bern named "Bern": what a test looks for in answers that must not show it.</summary>
    public const string BernFeature = """{"type":"Feature","properties":{"name":"Bern"},"geometry":{"type":"Point","coordinates":[7.4,46.9]}}""";

    /// <summary>Creates acme's collection acme_parks, holding <see cref="BernFeature"/>.</summary>
    public async Task CreateAcmeParksAsync()
    {
        await CreateCollectionAsync(Acme, "acme_parks");
        Assert.Equal(System.Net.HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", Acme, BernFeature)).StatusCode);
    }

    /// <summary>The document as text, quotes unescaped, so that messages can be looked for in it.</summary>
    public static string Text(JsonNode document) =>
        document.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Creates an empty point collection with a "name" property as the caller; it is the caller's tenant's.</summary>
    public async Task CreateCollectionAsync(string key, string id)
    {
        var created = await SendAsync(HttpMethod.Post, "/collections", key, $$$$"""{"id":"{{{{id}}}}","geometryType":"Point","properties":{"name":{"type":"string"}}}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>Executes a process with these inputs (a JSON object), in the request or, <paramref name="async"/>, as a job.</summary>
    public Task<HttpResponseMessage> ExecuteAsync(string process, string key, string inputs, bool async, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/processes/{process}/execution")
        {
            Content = new StringContent($$"""{"inputs": {{inputs}}, "response": "document"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ApiKeyAuthenticator.Header, key);
        if (async) request.Headers.Add("Prefer", "respond-async");
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Host.Client.SendAsync(request);
    }

    /// <summary>The job's status document once it ended (the status is read with <paramref name="key"/>).</summary>
    public async Task<JsonNode> WaitForJobAsync(Uri job, string? key)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            var document = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, job.AbsolutePath, key)).Content.ReadAsStringAsync())!;
            var status = (string?)document["status"];
            Assert.True(status is "accepted" or "running" or "successful" or "failed", $"the job is {status}: {document}");
            if (status is "successful" or "failed") return document;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The job {job} did not end.");
    }

    /// <summary>The ids of the jobs /jobs lists to the caller.</summary>
    public async Task<List<string>> JobsListedAsync(string? key)
    {
        var list = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/jobs?limit=1000", key)).Content.ReadAsStringAsync())!;
        return list["jobs"]!.AsArray().Select(j => "/jobs/" + (string)j!["jobID"]!).ToList();
    }
}
