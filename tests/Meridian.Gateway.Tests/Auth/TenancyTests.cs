using System.Net;
using System.Text.Json.Nodes;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Tests.Composition;
using Meridian.Hosting.Catalog;
using Meridian.Storage.Objects;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>
/// Collections belong to tenants: a tenant sees (lists, reads, tiles, writes) its own and the public ones; an
/// admin sees all; another tenant's collection is a 404, also when a cached answer for its owner exists.
/// </summary>
public sealed class TenancyTests : IAsyncLifetime
{
    private const string Feature = """{"type":"Feature","properties":{"name":"Bern"},"geometry":{"type":"Point","coordinates":[7.4,46.9]}}""";
    private MeridianTestHost _host = null!;
    private string _acme = null!;
    private string _globex = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Auth:Enabled"] = "true" });
        _acme = await KeyAsync("acme", "write");
        _globex = await KeyAsync("globex", "write");
        _admin = await KeyAsync("ops", "admin");
        foreach (var (key, id) in new[] { (_acme, "acme_parks"), (_globex, "globex_sites"), (_admin, "shared") })
        {
            var created = await SendAsync(HttpMethod.Post, "/collections", key, $$$$"""{"id":"{{{{id}}}}","geometryType":"Point","properties":{"name":{"type":"string"}}}""");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // A collection without an owner is public (as those from before tenancy, or loaded by meridian ingest).
        await _host.Services.GetRequiredService<ICollectionOwners>().SetOwnerAsync("shared", null, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> KeyAsync(string tenant, string scope)
    {
        var (id, key) = ApiKeys.Generate();
        await _host.Services.GetRequiredService<IApiKeyStore>().AddAsync(new ApiKeyRecord(id, tenant, [scope], null, DateTimeOffset.UtcNow, null, null), ApiKeys.Hash(key));
        return key;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add(ApiKeyAuthenticator.Header, key);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        return _host.Client.SendAsync(request);
    }

    private async Task<List<string>> ListedAsync(string? key)
    {
        var response = await SendAsync(HttpMethod.Get, "/collections?f=json", key);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["collections"]!.AsArray().Select(c => (string)c!["id"]!).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Listing_ShowsOwnAndPublic_AdminSeesAll()
    {
        Assert.Equal(["acme_parks", "shared"], await ListedAsync(_acme));
        Assert.Equal(["globex_sites", "shared"], await ListedAsync(_globex));
        Assert.Equal(["shared"], await ListedAsync(null));
        Assert.Equal(["acme_parks", "globex_sites", "shared"], await ListedAsync(_admin));
    }

    [Fact]
    public async Task AnotherTenantsCollection_IsNotFound_ForReadsTilesAndWrites()
    {
        // The owner's answer is cached first: the other tenant must still not get it.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _acme)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/collections/acme_parks", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/tiles", _globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _globex, Feature)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/collections/acme_parks", _globex)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _admin)).StatusCode);
    }

    [Fact]
    public async Task OwnAndPublicCollections_AreWritable()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _acme, Feature)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/shared/items", _globex, Feature)).StatusCode);
    }

    [Fact]
    public async Task CollectionIds_StayUniqueAcrossTenants()
    {
        var response = await SendAsync(HttpMethod.Post, "/collections", _globex, """{"id":"acme_parks","geometryType":"Point"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    // A process reads and writes collections as its caller: the worker that runs an asynchronous execution has no
    // request, so what it may touch is decided when the execution is submitted.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_process_cannot_read_another_tenants_collection(bool async)
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _acme, Feature)).StatusCode);

        var response = await ExecuteAsync("centroid", _globex, """{"input": {"collection": "acme_parks"}}""", async);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("input", (string)problem["input"]!);
        Assert.DoesNotContain("Bern", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme_parks", false)]
    [InlineData("acme_parks", true)]
    [InlineData("ACME_PARKS", false)]
    [InlineData("Shared", false)]
    public async Task A_process_output_cannot_be_another_collection_of_any_tenant(string output, bool async)
    {
        var before = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _admin);
        var inputs = $$$"""{"input": {"type": "Point", "coordinates": [7.4, 46.9]}, "output": {"collection": "{{{output}}}"}}""";

        var response = await ExecuteAsync("centroid", _globex, inputs, async);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("output", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input"]!);
        var after = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _admin);
        Assert.Equal(JsonNode.Parse(await before.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>(),
            JsonNode.Parse(await after.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_process_output_collection_belongs_to_its_callers_tenant(bool async)
    {
        var id = async ? "acme_centroids_async" : "acme_centroids";
        var response = await ExecuteAsync("centroid", _acme, $$$"""{"input": {"type": "Point", "coordinates": [7.4, 46.9]}, "output": {"collection": "{{{id}}}"}}""", async);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        if (async) await WaitForJobAsync(response.Headers.Location!, _acme);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/collections/{id}/items", _acme)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/collections/{id}/items", _globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/collections/{id}/items", null)).StatusCode);
    }

    // The ingest process loads as POST /ingest does, so it honours the same ownership: another tenant's collection is
    // not there to append to (for a job too, whose worker has no caller), and a new one becomes the caller's.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_ingest_process_cannot_load_into_another_tenants_collection(bool async)
    {
        var file = ObjectKey.Parse($"raw/tenancy/{Guid.NewGuid():N}.geojson");
        await _host.Services.GetRequiredService<IObjectStore>().PutAsync(file, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"type":"FeatureCollection","features":[{{Feature}}]}""")), CancellationToken.None);
        var before = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _admin);

        var response = await ExecuteAsync("ingest", _globex, $$"""{"object": "{{file}}", "collection": "acme_parks", "mode": "append"}""", async);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("collection", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input"]!);
        var after = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _admin);
        Assert.Equal(JsonNode.Parse(await before.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>(),
            JsonNode.Parse(await after.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>());

        var created = await ExecuteAsync("ingest", _globex, $$"""{"object": "{{file}}", "collection": "globex_loaded_{{async}}"}""", async);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        if (async) await WaitForJobAsync(created.Headers.Location!, _globex);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/collections/globex_loaded_{async}/items", _globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/collections/globex_loaded_{async}/items", _acme)).StatusCode);
    }

    // A job belongs to its submitter's tenant, as the collections it makes do: its status, results (which show the
    // collections it read), event stream and dismissal are another tenant's 404, and so is the list; an idempotency key
    // is each tenant's own.
    [Fact]
    public async Task Another_tenants_job_is_not_found()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _acme, Feature)).StatusCode);
        var key = Guid.NewGuid().ToString();
        var submitted = await ExecuteAsync("centroid", _acme, """{"input": {"collection": "acme_parks"}}""", async: true, key);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var job = submitted.Headers.Location!.AbsolutePath;
        await WaitForJobAsync(submitted.Headers.Location!, _acme);

        foreach (var path in new[] { job, job + "/results", job + "/events" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, path, _globex)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, path, null)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, job, _globex)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, job + "/results", _acme)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, job, _admin)).StatusCode);
        Assert.Contains(job, await JobsListedAsync(_acme));
        Assert.DoesNotContain(job, await JobsListedAsync(_globex));
        Assert.DoesNotContain(job, await JobsListedAsync(null));

        var same = await ExecuteAsync("centroid", _globex, """{"input": {"type": "Point", "coordinates": [7.4, 46.9]}}""", async: true, key);
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.NotEqual(job, same.Headers.Location!.AbsolutePath);
    }

    private async Task<List<string>> JobsListedAsync(string? key)
    {
        var list = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "/jobs?limit=1000", key)).Content.ReadAsStringAsync())!;
        return list["jobs"]!.AsArray().Select(j => "/jobs/" + (string)j!["jobID"]!).ToList();
    }

    private async Task<HttpResponseMessage> ExecuteAsync(string process, string key, string inputs, bool async, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/processes/{process}/execution")
        {
            Content = new StringContent($$"""{"inputs": {{inputs}}, "response": "document"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ApiKeyAuthenticator.Header, key);
        if (async) request.Headers.Add("Prefer", "respond-async");
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _host.Client.SendAsync(request);
    }

    private async Task WaitForJobAsync(Uri job, string? key = null)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = (string)JsonNode.Parse(await (await SendAsync(HttpMethod.Get, job.AbsolutePath, key)).Content.ReadAsStringAsync())!["status"]!;
            if (status is "successful") return;
            Assert.True(status is "accepted" or "running", $"the job ended {status}");
            await Task.Delay(50);
        }
        Assert.Fail("the job did not end");
    }

    [Fact]
    public async Task CachedAnswers_ToCallersWithCredentials_ArePrivate()
    {
        var response = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _acme);

        Assert.Contains("private", response.Headers.CacheControl?.ToString());
    }
}
