using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Deploy.Tests.K8s;

/// <summary>
/// The split deployment's gateway.json against the roles: every endpoint a role maps is routed by the gateway to that
/// role's cluster, and requests through a real gateway in front of real role processes reach the role that serves them.
/// The roles run here on the embedded stores (one shared data directory), each its own host as in its own pod.
/// </summary>
public sealed class GatewayRoutesTests : IAsyncLifetime
{
    private const string GatewayJson = "deploy/k8s/overlays/split/gateway.json";

    /// <summary>What every process serves itself (probes, metrics); the gateway answers those for its own pod.</summary>
    private static readonly HashSet<string> OwnEndpoints = ["/health", "/ready", "/metrics"];

    private readonly TempDirectory _data = new();
    private readonly Dictionary<string, WebApplication> _roles = new(StringComparer.Ordinal);
    private WebApplication? _gateway;
    private HttpClient? _client;

    private static JsonObject Gateway() => JsonNode.Parse(DeployFiles.Read(GatewayJson))!["Meridian"]!["Gateway"]!.AsObject();

    /// <summary>The roles behind the gateway that exist in this build (the awaited ones join once they do).</summary>
    private static IEnumerable<string> RoutedRoles() =>
        Gateway()["Clusters"]!.AsObject().Select(c => c.Key).Where(StartupValidation.IsRole);

    public async Task InitializeAsync()
    {
        var clusters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in RoutedRoles())
        {
            var app = await StartAsync(role, new Dictionary<string, string?> { ["Meridian:Gateway:Waf:Mode"] = "Off" }, null);
            _roles[role] = app;
            clusters[role] = LoopbackHost.Address(app);
        }
        // gateway.json with each cluster's Service replaced by the address its role listens on here.
        var gateway = JsonNode.Parse(DeployFiles.Read(GatewayJson))!;
        foreach (var (name, cluster) in gateway["Meridian"]!["Gateway"]!["Clusters"]!.AsObject())
        {
            if (clusters.TryGetValue(name, out var address)) cluster!["Destinations"] = new JsonArray(address);
            else gateway["Meridian"]!["Gateway"]!["Clusters"]![name]!["Destinations"] = new JsonArray("http://127.0.0.1:9");
        }
        var config = Path.Combine(_data.Path, "gateway.json");
        await File.WriteAllTextAsync(config, gateway.ToJsonString());
        _gateway = await StartAsync("gateway", new Dictionary<string, string?>(), config);
        _client = new HttpClient { BaseAddress = new Uri(LoopbackHost.Address(_gateway)) };
    }

    private Task<WebApplication> StartAsync(string role, Dictionary<string, string?> values, string? config)
    {
        // The overlay's shared settings that shape what a role serves: the roles the deployment runs.
        foreach (var (name, value) in Kustomization.Load("deploy/k8s/overlays/split").ConfigMaps["meridian"].Data
                     .Where(e => e.Key.StartsWith("MERIDIAN__DeployedRoles__", StringComparison.Ordinal)))
            values[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        values["Meridian:Roles:0"] = role;
        values["Meridian:Data"] = _data.Path;
        values["Meridian:GeoPackages:0"] = Cql2Dataset.FilePath;
        return LoopbackHost.StartAsync(values, config);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
        foreach (var app in _roles.Values) await app.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public void Every_endpoint_of_every_role_is_routed_to_that_role()
    {
        var routes = Gateway()["Routes"]!.AsObject()
            .Select(r => (Name: r.Key, Cluster: (string)r.Value!["Cluster"]!, Order: (int?)r.Value!["Order"] ?? 0,
                Template: TemplateParser.Parse(((string?)r.Value!["PathPrefix"] ?? "").TrimEnd('/') + "/{**rest}")))
            .ToList();
        var checkedEndpoints = 0;
        foreach (var (role, app) in _roles)
        {
            var patterns = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
                .Where(p => !OwnEndpoints.Contains(p))
                .Distinct();
            foreach (var pattern in patterns)
            {
                var path = Concrete(pattern);
                var matching = routes.Where(r => new TemplateMatcher(r.Template, new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary())).ToList();
                Assert.True(matching.Count > 0, $"{role}: {pattern} matches no gateway route");
                var first = matching.Where(r => r.Order == matching.Min(m => m.Order)).ToList();
                var chosen = Assert.Single(first);
                Assert.True(chosen.Cluster == role, $"{role} serves {pattern}, which the gateway sends to {chosen.Cluster} (route {chosen.Name})");
                checkedEndpoints++;
            }
        }
        Assert.True(checkedEndpoints > 20, $"only {checkedEndpoints} endpoints checked");
    }

    /// <summary>A path the pattern matches: each parameter replaced by a value its constraint accepts, catch-alls dropped.</summary>
    private static string Concrete(string pattern) =>
        "/" + string.Join('/', pattern.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => !s.StartsWith("{**", StringComparison.Ordinal) && !s.StartsWith("{*", StringComparison.Ordinal))
            .Select(s => s.StartsWith('{') ? (s.Contains(":int", StringComparison.Ordinal) ? "1" : "x") : s));

    [Theory]
    [InlineData("GET", "/", HttpStatusCode.OK)]
    [InlineData("GET", "/collections", HttpStatusCode.OK)]
    [InlineData("GET", "/collections/" + Cql2Dataset.Countries + "/items?limit=1", HttpStatusCode.OK)]
    [InlineData("GET", "/collections/" + Cql2Dataset.Countries + "/tiles", HttpStatusCode.OK)]
    [InlineData("GET", "/collections/" + Cql2Dataset.Countries + "/tiles/WebMercatorQuad/1/0/1", HttpStatusCode.OK)]
    [InlineData("GET", "/tileMatrixSets/WebMercatorQuad", HttpStatusCode.OK)]
    [InlineData("GET", "/processes", HttpStatusCode.OK)]
    [InlineData("GET", "/jobs", HttpStatusCode.OK)]
    [InlineData("GET", "/health", HttpStatusCode.OK)]
    public async Task A_request_through_the_gateway_is_answered_by_its_role(string method, string path, HttpStatusCode expected)
    {
        using var response = await _client!.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>
    /// What GDAL's OAPIF driver, QGIS and OWSLib do: read the landing page, the conformance declaration and the API
    /// definition, then follow the links. Through the gateway these come from the features role, and must still show the
    /// tiles and processes roles that run in other processes — with links that work through the gateway.
    /// </summary>
    [Fact]
    public async Task The_landing_page_conformance_and_api_through_the_gateway_describe_the_roles_of_other_processes()
    {
        var gateway = _client!.BaseAddress!;
        var landing = JsonNode.Parse(await _client.GetStringAsync("/?f=json"))!["links"]!.AsArray()
            .Select(l => (Rel: (string)l!["rel"]!, Href: new Uri((string)l!["href"]!))).ToList();
        foreach (var rel in new[] { "tiling-schemes", "tilesets-vector", "processes", "job-list" })
        {
            var link = Assert.Single(landing, l => l.Rel == "http://www.opengis.net/def/rel/ogc/1.0/" + rel);
            Assert.Equal(gateway.Authority, link.Href.Authority);
            using var followed = await _client.GetAsync(link.Href);
            Assert.True(followed.StatusCode == HttpStatusCode.OK, $"{rel}: GET {link.Href} answered {(int)followed.StatusCode}");
        }

        var conformance = JsonNode.Parse(await _client.GetStringAsync("/conformance?f=json"))!["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.All(Meridian.Tiles.TilesModule.ConformanceClasses.Concat(Meridian.Processing.ProcessesModule.ConformanceClasses), c => Assert.Contains(c, conformance));

        var api = JsonNode.Parse(await _client.GetStringAsync("/api?f=json"))!;
        Assert.Equal(gateway.ToString().TrimEnd('/'), ((string)api["servers"]![0]!["url"]!).TrimEnd('/'));
        var paths = api["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var path in new[] { "/tileMatrixSets", "/tiles", "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
                     "/processes", "/processes/{processId}/execution", "/jobs", "/jobs/{jobId}" })
            Assert.Contains(path, paths);

        // A collection's own links lead to its tiles, served by the tiles role.
        var collection = JsonNode.Parse(await _client.GetStringAsync($"/collections/{Cql2Dataset.Countries}?f=json"))!;
        var tiles = new Uri((string)Assert.Single(collection["links"]!.AsArray(), l => (string)l!["rel"]! == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector")!["href"]!);
        Assert.Equal(gateway.Authority, tiles.Authority);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(tiles)).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/ingest")]
    [InlineData("POST", "/uploads")]
    [InlineData("GET", "/subscriptions")]
    [InlineData("GET", "/workflows")]
    public async Task A_request_for_a_role_behind_the_gateway_never_falls_through_to_the_features_role(string method, string path)
    {
        using var response = await _client!.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        // The features role maps none of these: from it they would be 404s (or 405s); the role that owns them answers
        // something else (a list, or a refusal of the request as it is).
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode}");
    }
}
