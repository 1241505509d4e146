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
    private TenantsHost _tenants = null!;

    public async Task InitializeAsync()
    {
        _tenants = await TenantsHost.StartAsync();
        foreach (var (key, id) in new[] { (_tenants.Acme, "acme_parks"), (_tenants.Globex, "globex_sites"), (_tenants.Admin, "shared") })
            await _tenants.CreateCollectionAsync(key, id);
        // A collection without an owner is public (as those from before tenancy, or loaded by meridian ingest).
        await _tenants.Host.Services.GetRequiredService<ICollectionOwners>().SetOwnerAsync("shared", null, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _tenants.DisposeAsync();

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? json = null) => _tenants.SendAsync(method, path, key, json);

    private async Task<List<string>> ListedAsync(string? key)
    {
        var response = await SendAsync(HttpMethod.Get, "/collections?f=json", key);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["collections"]!.AsArray().Select(c => (string)c!["id"]!).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Listing_ShowsOwnAndPublic_AdminSeesAll()
    {
        Assert.Equal(["acme_parks", "shared"], await ListedAsync(_tenants.Acme));
        Assert.Equal(["globex_sites", "shared"], await ListedAsync(_tenants.Globex));
        Assert.Equal(["shared"], await ListedAsync(null));
        Assert.Equal(["acme_parks", "globex_sites", "shared"], await ListedAsync(_tenants.Admin));
    }

    [Fact]
    public async Task AnotherTenantsCollection_IsNotFound_ForReadsTilesAndWrites()
    {
        // The owner's answer is cached first: the other tenant must still not get it.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Acme)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/collections/acme_parks", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/tiles", _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _tenants.Globex, Feature)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/collections/acme_parks", _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Admin)).StatusCode);
    }

    [Fact]
    public async Task OwnAndPublicCollections_AreWritable()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _tenants.Acme, Feature)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/shared/items", _tenants.Globex, Feature)).StatusCode);
    }

    [Fact]
    public async Task CollectionIds_StayUniqueAcrossTenants()
    {
        var response = await SendAsync(HttpMethod.Post, "/collections", _tenants.Globex, """{"id":"acme_parks","geometryType":"Point"}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    // A process reads and writes collections as its caller: the worker that runs an asynchronous execution has no
    // request, so what it may touch is decided when the execution is submitted.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_process_cannot_read_another_tenants_collection(bool async)
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _tenants.Acme, Feature)).StatusCode);

        var response = await ExecuteAsync("centroid", _tenants.Globex, """{"input": {"collection": "acme_parks"}}""", async);

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
        var before = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Admin);
        var inputs = $$$"""{"input": {"type": "Point", "coordinates": [7.4, 46.9]}, "output": {"collection": "{{{output}}}"}}""";

        var response = await ExecuteAsync("centroid", _tenants.Globex, inputs, async);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("output", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input"]!);
        var after = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Admin);
        Assert.Equal(JsonNode.Parse(await before.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>(),
            JsonNode.Parse(await after.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_process_output_collection_belongs_to_its_callers_tenant(bool async)
    {
        var id = async ? "acme_centroids_async" : "acme_centroids";
        var response = await ExecuteAsync("centroid", _tenants.Acme, $$$"""{"input": {"type": "Point", "coordinates": [7.4, 46.9]}, "output": {"collection": "{{{id}}}"}}""", async);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        if (async) await WaitForJobAsync(response.Headers.Location!, _tenants.Acme);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/collections/{id}/items", _tenants.Acme)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/collections/{id}/items", _tenants.Globex)).StatusCode);
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
        await _tenants.Host.Services.GetRequiredService<IObjectStore>().PutAsync(file, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            $$"""{"type":"FeatureCollection","features":[{{Feature}}]}""")), CancellationToken.None);
        var before = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Admin);

        var response = await ExecuteAsync("ingest", _tenants.Globex, $$"""{"object": "{{file}}", "collection": "acme_parks", "mode": "append"}""", async);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("collection", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input"]!);
        var after = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Admin);
        Assert.Equal(JsonNode.Parse(await before.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>(),
            JsonNode.Parse(await after.Content.ReadAsStringAsync())!["numberMatched"]!.GetValue<long>());

        var created = await ExecuteAsync("ingest", _tenants.Globex, $$"""{"object": "{{file}}", "collection": "globex_loaded_{{async}}"}""", async);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        if (async) await WaitForJobAsync(created.Headers.Location!, _tenants.Globex);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/collections/globex_loaded_{async}/items", _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/collections/globex_loaded_{async}/items", _tenants.Acme)).StatusCode);
    }

    // A job belongs to its submitter's tenant, as the collections it makes do: its status, results (which show the
    // collections it read), event stream and dismissal are another tenant's 404, and so is the list; an idempotency key
    // is each tenant's own.
    [Fact]
    public async Task Another_tenants_job_is_not_found()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/collections/acme_parks/items", _tenants.Acme, Feature)).StatusCode);
        var key = Guid.NewGuid().ToString();
        var submitted = await ExecuteAsync("centroid", _tenants.Acme, """{"input": {"collection": "acme_parks"}}""", async: true, key);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var job = submitted.Headers.Location!.AbsolutePath;
        await WaitForJobAsync(submitted.Headers.Location!, _tenants.Acme);

        foreach (var path in new[] { job, job + "/results", job + "/events" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, path, _tenants.Globex)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, path, null)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, job, _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, job + "/results", _tenants.Acme)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, job, _tenants.Admin)).StatusCode);
        Assert.Contains(job, await JobsListedAsync(_tenants.Acme));
        Assert.DoesNotContain(job, await JobsListedAsync(_tenants.Globex));
        Assert.DoesNotContain(job, await JobsListedAsync(null));

        var same = await ExecuteAsync("centroid", _tenants.Globex, """{"input": {"type": "Point", "coordinates": [7.4, 46.9]}}""", async: true, key);
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.NotEqual(job, same.Headers.Location!.AbsolutePath);
    }

    private Task<List<string>> JobsListedAsync(string? key) => _tenants.JobsListedAsync(key);

    private Task<HttpResponseMessage> ExecuteAsync(string process, string key, string inputs, bool async, string? idempotencyKey = null) =>
        _tenants.ExecuteAsync(process, key, inputs, async, idempotencyKey);

    private async Task WaitForJobAsync(Uri job, string key) => Assert.Equal("successful", (string?)(await _tenants.WaitForJobAsync(job, key))["status"]);

    [Fact]
    public async Task CachedAnswers_ToCallersWithCredentials_ArePrivate()
    {
        var response = await SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Acme);

        Assert.Contains("private", response.Headers.CacheControl?.ToString());
    }
}
