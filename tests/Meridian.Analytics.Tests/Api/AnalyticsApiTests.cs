using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Meridian.Analytics.Writing;
using Meridian.Composition;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Tests.Composition;
using Meridian.Hosting.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Analytics.Tests.Api;

/// <summary>The whole host as <c>meridian serve</c> runs it: requests served, events flushed to the lake, reports read back.</summary>
public sealed class AnalyticsApiTests
{
    private static readonly Dictionary<string, string?> WithAuth = new() { ["Gateway:Auth:Enabled"] = "true" };

    [Fact]
    public async Task Requests_ServedThenFlushed_AreCountedByEndpoint()
    {
        await using var host = await MeridianTestHost.StartAsync(WithAuth);
        var admin = await KeyAsync(host, Scopes.Admin);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/collections")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/collections/no-such-thing")).StatusCode);

        await host.Services.GetRequiredService<AnalyticsWriter>().FlushAsync(CancellationToken.None);
        var report = await ReportAsync(host, admin, "requests", "groupBy=endpoint,collection");

        var rows = report["rows"]!.AsArray();
        var list = rows.Single(r => (string?)r!["route"] == "/collections")!;
        Assert.Equal(3, (long)list["requests"]!);
        Assert.Equal("GET", (string?)list["method"]);
        Assert.True((double)list["p99Ms"]! > 0);
        var missing = rows.Single(r => (string?)r!["route"] == "/collections/{collectionId}")!;
        Assert.Equal(1, (long)missing["clientErrors"]!);
        // A 404 names a collection that is not there: nobody's usage, not recorded.
        Assert.Null((string?)missing["collection"]);
        Assert.Equal(1, (int)report["filesRead"]!);
    }

    [Fact]
    public async Task Requests_OfSplitRoles_AreWrittenByEachProcessAndReadByTheAnalyticsRole()
    {
        using var objects = new TempDirectory();
        await using var features = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Roles:0"] = "features", ["Objects:Root"] = objects.Path });
        await using var tiles = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Roles:0"] = "tiles", ["Objects:Root"] = objects.Path });
        await using var analytics = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Roles:0"] = "analytics", ["Objects:Root"] = objects.Path, ["Gateway:Auth:Enabled"] = "true",
        });
        await features.Client.GetAsync("/collections");
        await features.Client.GetAsync("/conformance");
        await tiles.Client.GetAsync("/tileMatrixSets");
        await features.Services.GetRequiredService<AnalyticsWriter>().FlushAsync(CancellationToken.None);
        await tiles.Services.GetRequiredService<AnalyticsWriter>().FlushAsync(CancellationToken.None);

        var report = await ReportAsync(analytics, await KeyAsync(analytics, Scopes.Admin), "requests", "groupBy=role,instance");

        var rows = report["rows"]!.AsArray();
        Assert.Equal(2, (long)rows.Single(r => (string?)r!["role"] == "features")!["requests"]!);
        Assert.Equal(1, (long)rows.Single(r => (string?)r!["role"] == "tiles")!["requests"]!);
        Assert.Equal(2, (int)report["filesRead"]!);
    }

    // The role behind the gateway records a forwarded request; the gateway recording it too counted it twice.
    [Fact]
    public async Task Requests_ThroughTheGateway_AreCountedOnceByTheRoleThatAnswered()
    {
        using var objects = new TempDirectory();
        await using var features = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Roles:0"] = "features", ["Objects:Root"] = objects.Path });
        await using var gateway = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Roles:0"] = "gateway", ["Objects:Root"] = objects.Path,
            ["Gateway:Routes:gone:PathPrefix"] = "/gone", ["Gateway:Routes:gone:Cluster"] = "gone",
            ["Gateway:Clusters:gone:Destinations:0"] = "http://127.0.0.1:1", // nothing listens: the gateway answers a 502 itself
            ["Gateway:Routes:ogc:Cluster"] = "features", ["Gateway:Routes:ogc:Order"] = "100",
            ["Gateway:Clusters:features:Destinations:0"] = features.Address.ToString(),
        });
        await using var analytics = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Roles:0"] = "analytics", ["Objects:Root"] = objects.Path, ["Gateway:Auth:Enabled"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/collections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/conformance")).StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await gateway.Client.GetAsync("/gone")).StatusCode);
        await features.Services.GetRequiredService<AnalyticsWriter>().FlushAsync(CancellationToken.None);
        await gateway.Services.GetRequiredService<AnalyticsWriter>().FlushAsync(CancellationToken.None);

        var report = await ReportAsync(analytics, await KeyAsync(analytics, Scopes.Admin), "requests", "groupBy=role");

        var rows = report["rows"]!.AsArray();
        Assert.Equal(2, (long)rows.Single(r => (string?)r!["role"] == "features")!["requests"]!);
        var own = rows.Single(r => (string?)r!["role"] == "gateway")!;
        Assert.Equal(1, (long)own["requests"]!);
        Assert.Equal(1, (long)own["serverErrors"]!);
    }

    [Fact]
    public async Task Requests_ByTenantAndKey_NameTheKeyNotTheSecret()
    {
        await using var host = await MeridianTestHost.StartAsync(WithAuth);
        var admin = await KeyAsync(host, Scopes.Admin);
        var reader = await KeyAsync(host, Scopes.Read, tenant: "acme");
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/collections"))
        {
            request.Headers.Add("X-API-Key", reader);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);
        }

        await host.Services.GetRequiredService<AnalyticsWriter>().FlushAsync(CancellationToken.None);
        var report = await ReportAsync(host, admin, "requests", "groupBy=tenant,key");

        var acme = report["rows"]!.AsArray().Single(r => (string?)r!["tenant"] == "acme")!;
        Assert.Equal(1, (long)acme["requests"]!);
        // mrd_<id>_<secret>: the id, public, is what the lake keeps.
        Assert.Equal(reader[ApiKeys.Prefix.Length..reader.IndexOf('_', ApiKeys.Prefix.Length)], (string?)acme["keyId"]);
    }

    [Fact]
    public async Task Reports_WithoutCredentials_Are401()
    {
        await using var host = await MeridianTestHost.StartAsync(WithAuth);

        var response = await host.Client.GetAsync("/admin/analytics/requests");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("requests")]
    [InlineData("jobs")]
    [InlineData("ingest")]
    public async Task Reports_WithAReadOrWriteKey_Are403(string report)
    {
        await using var host = await MeridianTestHost.StartAsync(WithAuth);
        foreach (var scope in new[] { Scopes.Read, Scopes.Write })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/analytics/" + report);
            request.Headers.Add("X-API-Key", await KeyAsync(host, scope));

            var response = await host.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Reports_WithoutAuthenticationConfigured_Are403SayingWhatToSet()
    {
        await using var host = await MeridianTestHost.StartAsync();

        var response = await host.Client.GetAsync("/admin/analytics/requests");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Meridian:Gateway:Auth:Enabled", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("groupBy=everything", "groupBy")]
    [InlineData("from=2026-03-05&to=2026-03-01", "from")]
    [InlineData("from=2000-01-01&to=2026-03-01", "to")]
    [InlineData("sql=1", "sql")]
    [InlineData("interval=week", "interval")]
    public async Task Reports_HostileParameters_Are400sNamingThem(string query, string parameter)
    {
        await using var host = await MeridianTestHost.StartAsync(WithAuth);
        var admin = await KeyAsync(host, Scopes.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/analytics/requests?" + query);
        request.Headers.Add("X-API-Key", admin);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:meridian:problem:invalid-parameter", (string?)problem["type"]);
        Assert.Contains($"'{parameter}'", (string?)problem["title"]);
    }

    [Fact]
    public async Task OpenApi_DescribesTheReports()
    {
        await using var host = await MeridianTestHost.StartAsync();

        var document = JsonNode.Parse(await host.Client.GetStringAsync("/api"))!;

        foreach (var report in new[] { "requests", "jobs", "ingest" })
            Assert.NotNull(document["paths"]![$"/admin/analytics/{report}"]?["get"]?["parameters"]);
    }

    [Fact]
    public async Task Serve_AnalyticsDisabled_WritesNothing()
    {
        await using var host = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Analytics:Enabled"] = "false" });
        await host.Client.GetAsync("/collections");

        Assert.Null(host.Services.GetService<AnalyticsWriter>());
    }

    [Theory]
    [InlineData("Analytics:FlushSeconds", "0", "Meridian:Analytics:FlushSeconds")]
    [InlineData("Analytics:MaxBufferedEvents", "1000", "Meridian:Analytics:MaxBufferedEvents")]
    [InlineData("Analytics:MaxQueryDays", "-1", "Meridian:Analytics:MaxQueryDays")]
    [InlineData("Analytics:Enabled", "maybe", "Analytics:Enabled")]
    [InlineData("Analytics:Flush", "10", "Meridian:Analytics:Flush")]
    public void Settings_Invalid_StopTheProcessNamingTheSetting(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["Meridian:" + key] = value };

        var error = Assert.Throws<OptionsException>(() => MeridianSettings.Load(null, settings));

        Assert.Contains(named, error.Message);
    }

    private static async Task<JsonNode> ReportAsync(MeridianTestHost host, string key, string report, string query)
    {
        var now = DateTime.UtcNow;
        var from = now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var to = now.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/analytics/{report}?from={from}&to={to}&{query}");
        request.Headers.Add("X-API-Key", key);
        var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }

    private static async Task<string> KeyAsync(MeridianTestHost host, string scope, string tenant = "ops")
    {
        var (id, key) = ApiKeys.Generate();
        await host.Services.GetRequiredService<IApiKeyStore>().AddAsync(
            new ApiKeyRecord(id, tenant, [scope], null, DateTimeOffset.UtcNow, null, null), ApiKeys.Hash(key));
        return key;
    }
}
