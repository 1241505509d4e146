using Meridian.Tests.Composition;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using static Meridian.Tests.Features.Cql2DatasetServer;

namespace Meridian.Tests.Features;

/// <summary>
/// OGC API - Features Part 1 over HTTP on a real Kestrel, run unchanged against every store. Expected
/// counts come from <see cref="Cql2Oracle"/>, computed from the dataset's files.
/// </summary>
public abstract class FeaturesHttpContract(Cql2DatasetServer server)
{
    private HttpClient Client => server.Client;

    private static IEnumerable<string> Rels(JsonNode document) => document["links"]!.AsArray().Select(l => l!["rel"]!.GetValue<string>());

    private static string? Href(JsonNode document, string rel, string? type = null) => document["links"]!.AsArray()
        .FirstOrDefault(l => l!["rel"]!.GetValue<string>() == rel && (type is null || l["type"]!.GetValue<string>() == type))?["href"]?.GetValue<string>();

    private static List<long> Ids(JsonNode page) => page["features"]!.AsArray().Select(f => f!["id"]!.GetValue<long>()).ToList();

    [Fact]
    public async Task Landing_LinksToApiConformanceAndData()
    {
        var landing = await Client.GetJsonAsync("/");

        Assert.Superset(new HashSet<string> { "self", "alternate", "service-desc", "service-doc", "conformance", "data",
            "http://www.opengis.net/def/rel/ogc/1.0/conformance", "http://www.opengis.net/def/rel/ogc/1.0/data" }, Rels(landing).ToHashSet());
        Assert.False(string.IsNullOrEmpty(landing["title"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Conformance_DeclaresThePart1Classes()
    {
        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();

        foreach (var c in new[] { "core", "geojson", "html", "oas30" })
            Assert.Contains($"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{c}", classes);
    }

    [Fact]
    public async Task Collections_ListTheLayersWithExtentsAndItemLinks()
    {
        var collections = (await Client.GetJsonAsync("/collections"))["collections"]!.AsArray();
        var ids = collections.Select(c => c!["id"]!.GetValue<string>()).ToList();

        Assert.Contains(Countries, ids);
        Assert.Contains(Places, ids);
        Assert.Contains(Rivers, ids);
        var places = collections.Single(c => c!["id"]!.GetValue<string>() == Places)!;
        Assert.Equal("feature", places["itemType"]!.GetValue<string>());
        var bbox = places["extent"]!["spatial"]!["bbox"]![0]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(-175.22, bbox[0], 1);
        Assert.Equal(179.22, bbox[2], 1);
        Assert.NotNull(Href(places, "items", "application/geo+json"));
        Assert.NotNull(places["extent"]!["temporal"]);
    }

    /// <summary>
    /// /req/core/fc-md-items: collections follow collection.yaml, where title and description are strings; a layer
    /// without a description (most GeoPackage layers) wrote "description": null.
    /// </summary>
    [Fact]
    public async Task Collections_WriteNoNullMembers()
    {
        var collections = (await Client.GetJsonAsync("/collections"))["collections"]!.AsArray();
        var single = await Client.GetJsonAsync($"/collections/{Places}");

        foreach (var collection in collections.Append(single))
            Assert.DoesNotContain(collection!.AsObject(), member => member.Value is null);
    }

    [Fact]
    public async Task Items_DefaultPage_HasTenFeaturesCountsAndNextLink()
    {
        var page = await Client.GetJsonAsync($"/collections/{Places}/items", "application/geo+json");

        Assert.Equal("FeatureCollection", page["type"]!.GetValue<string>());
        Assert.Equal(10, page["features"]!.AsArray().Count);
        Assert.Equal(10, page["numberReturned"]!.GetValue<int>());
        Assert.Equal(243, page["numberMatched"]!.GetValue<int>());
        Assert.NotNull(page["timeStamp"]);
        Assert.NotNull(Href(page, "next"));
        Assert.DoesNotContain("prev", Rels(page));
        var first = page["features"]![0]!;
        Assert.Equal("Point", first["geometry"]!["type"]!.GetValue<string>());
        Assert.NotNull(first["properties"]!["name"]);
    }

    [Fact]
    public async Task Items_FollowingNextLinks_VisitsEveryFeatureOnce()
    {
        var seen = new List<long>();
        string? url = $"/collections/{Places}/items?limit=50";
        while (url is not null)
        {
            var page = await Client.GetJsonAsync(url, "application/geo+json");
            seen.AddRange(Ids(page));
            url = Href(page, "next");
        }

        Assert.Equal(243, seen.Count);
        Assert.Equal(243, seen.Distinct().Count());
    }

    [Fact]
    public async Task Items_PrevLink_ReturnsThePreviousPage()
    {
        var first = await Client.GetJsonAsync($"/collections/{Countries}/items?limit=7", "application/geo+json");
        var second = await Client.GetJsonAsync(Href(first, "next")!, "application/geo+json");
        var back = await Client.GetJsonAsync(Href(second, "prev")!, "application/geo+json");

        Assert.Equal(Ids(first), Ids(back));
        Assert.True(Ids(second).Min() > Ids(first).Max());
        Assert.Equal(177, second["numberMatched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("-10,35,30,60")]
    [InlineData("100.5,-45,179.9,10")]
    [InlineData("-180,-90,180,90")]
    public async Task Items_Bbox_ReturnsWhatIntersects(string bbox)
    {
        var n = bbox.Split(',').Select(double.Parse).ToArray();
        var expected = await Cql2Oracle.CountIntersectingAsync(Places, new Envelope(n[0], n[2], n[1], n[3]));

        var page = await Client.GetJsonAsync($"/collections/{Places}/items?bbox={bbox}&limit=1000", "application/geo+json");

        Assert.True(expected > 0);
        Assert.Equal(expected, page["numberReturned"]!.GetValue<int>());
        Assert.Equal(expected, page["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Items_BboxAcrossTheAntimeridian_ReturnsBothSides()
    {
        var expected = await Cql2Oracle.CountIntersectingAsync(Countries, new Envelope(170, 180, -50, 70), new Envelope(-180, -170, -50, 70));

        var page = await Client.GetJsonAsync($"/collections/{Countries}/items?bbox=170,-50,-170,70&limit=1000", "application/geo+json");

        Assert.Equal(expected, page["numberReturned"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("2022-04-16", 1)]
    [InlineData("2021-01-01/2022-12-31", 2)]
    [InlineData("../2021-12-31", 1)]
    [InlineData("2021-04-16T00:00:00Z/..", 3)]
    [InlineData("1999-01-01", 0)]
    public async Task Items_Datetime_FiltersOnTheTemporalProperty(string datetime, int expected)
    {
        var page = await Client.GetJsonAsync($"/collections/{Places}/items?datetime={Uri.EscapeDataString(datetime)}&limit=100", "application/geo+json");

        Assert.Equal(expected, page["numberReturned"]!.GetValue<int>());
    }

    [Fact]
    public async Task Items_PropertyEquality_MatchesTheOracle()
    {
        var places = await Cql2Oracle.FeaturesAsync(Places);
        var expected = places.Count(f => Equals(Cql2Oracle.Property(f, "adm0name"), "United States of America"));

        var page = await Client.GetJsonAsync($"/collections/{Places}/items?adm0name=United%20States%20of%20America&limit=100", "application/geo+json");

        Assert.True(expected > 1);
        Assert.Equal(expected, page["numberReturned"]!.GetValue<int>());
        Assert.All(page["features"]!.AsArray(), f => Assert.Equal("United States of America", f!["properties"]!["adm0name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Feature_ById_ReturnsItWithLinks()
    {
        var page = await Client.GetJsonAsync($"/collections/{Rivers}/items?limit=1", "application/geo+json");
        var id = Ids(page)[0];

        var feature = await Client.GetJsonAsync($"/collections/{Rivers}/items/{id}", "application/geo+json");

        Assert.Equal("Feature", feature["type"]!.GetValue<string>());
        Assert.Equal(id, feature["id"]!.GetValue<long>());
        Assert.Contains("collection", Rels(feature));
        Assert.Contains(feature["geometry"]!["type"]!.GetValue<string>(), new[] { "LineString", "MultiLineString" });
    }

    [Theory]
    [InlineData("bbox=1,2,3")]
    [InlineData("bbox=a,b,c,d")]
    [InlineData("bbox=0,50,10,40")]
    [InlineData("bbox=0,0,10,95")]
    [InlineData("bbox=NaN,0,1,1")]
    [InlineData("limit=0")]
    [InlineData("limit=-5")]
    [InlineData("limit=ten")]
    [InlineData("datetime=yesterday")]
    [InlineData("datetime=2022-01-01/2021-01-01")]
    [InlineData("unknown=1")]
    [InlineData("limit=1&limit=2")]
    [InlineData("pop_max=lots")]
    [InlineData("cursor=not-a-cursor!")]
    [InlineData("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2193")]
    public async Task Items_InvalidParameter_IsA400ProblemNamingIt(string query)
    {
        var problem = await Client.GetProblemAsync($"/collections/{Places}/items?{query}", HttpStatusCode.BadRequest);

        var parameter = query.Split('=')[0];
        Assert.Contains(parameter, problem["title"]!.GetValue<string>() + problem["detail"]!.GetValue<string>());
    }

    // A next link whose following features have been deleted since leads past the last feature: an empty page (it
    // was a 500, and the connection cut mid-body, since no first feature gave the prev link its cursor).
    [Theory]
    [InlineData("", "application/geo+json")]
    [InlineData("&sortby=-pop_max", "application/geo+json")]
    [InlineData("", "text/html")]
    public async Task Items_CursorPastTheLastFeature_IsAnEmptyPage(string sortBy, string accept)
    {
        var past = new Meridian.Storage.Querying.PageCursor("999999999", Backward: false) { SortValues = sortBy.Length == 0 ? [] : [-1L] };
        var url = $"/collections/{Places}/items?cursor={Meridian.Features.Api.PageToken.Encode(past)}{sortBy}";

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (accept == "text/html") return;
        var page = JsonNode.Parse(body)!;
        Assert.Equal(0, page["numberReturned"]!.GetValue<int>());
        Assert.Null(Href(page, "next"));
    }

    // A forged cursor whose feature id is not a string is refused like any other cursor this server did not make.
    [Fact]
    public async Task Items_CursorWithoutAFeatureId_IsA400()
    {
        var forged = System.Buffers.Text.Base64Url.EncodeToString("A:[null,null]"u8);

        var problem = await Client.GetProblemAsync($"/collections/{Places}/items?sortby=-pop_max&cursor={forged}", HttpStatusCode.BadRequest);

        Assert.Contains("cursor", problem["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/collections/nope")]
    [InlineData("/collections/nope/items")]
    [InlineData("/collections/..%2F..%2Fetc%2Fpasswd/items")]
    [InlineData($"/collections/{Places}/items/999999")]
    [InlineData($"/collections/{Places}/items/abc")]
    [InlineData("/no/such/path")]
    public async Task UnknownResource_IsA404Problem(string url) => await Client.GetProblemAsync(url, HttpStatusCode.NotFound);

    [Theory]
    [InlineData("/collections", "application/xml")]
    [InlineData($"/collections/{Places}/items", "image/png")]
    public async Task UnacceptableMediaType_IsA406Problem(string url, string accept) => await Client.GetProblemAsync(url, HttpStatusCode.NotAcceptable, accept);

    [Fact]
    public async Task Items_SqlInjectionInAPropertyValue_MatchesNothingAndHarmsNothing()
    {
        var page = await Client.GetJsonAsync($"/collections/{Places}/items?name={Uri.EscapeDataString("x' OR '1'='1")}", "application/geo+json");
        Assert.Equal(0, page["numberReturned"]!.GetValue<int>());

        var all = await Client.GetJsonAsync($"/collections/{Places}/items?limit=1", "application/geo+json");
        Assert.Equal(243, all["numberMatched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/?f=html", "Collections")]
    [InlineData("/collections?f=html", Places)]
    [InlineData($"/collections/{Places}?f=html", "Properties")]
    [InlineData($"/collections/{Places}/items?f=html&limit=5", "<table>")]
    public async Task Html_IsServedForPeople(string url, string expected)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Html_ChosenFromABrowserAcceptHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/collections/{Rivers}/items");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await Client.SendAsync(request);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("next", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Html_FeaturePage_DrawsTheGeometry()
    {
        var id = Ids(await Client.GetJsonAsync($"/collections/{Countries}/items?limit=1", "application/geo+json"))[0];

        using var response = await Client.GetAsync($"/collections/{Countries}/items/{id}?f=html");

        Assert.Contains("<svg", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_DescribesEveryCollectionAndItsQueryables()
    {
        using var response = await Client.GetAsync("/api");
        Assert.Equal("application/vnd.oai.openapi+json", response.Content.Headers.ContentType?.MediaType);
        var api = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.StartsWith("3.0", api["openapi"]!.GetValue<string>());
        var paths = api["paths"]!.AsObject();
        Assert.True(paths.ContainsKey($"/collections/{Places}/items"));
        Assert.True(paths.ContainsKey($"/collections/{Countries}/items/{{featureId}}"));
        var names = paths[$"/collections/{Places}/items"]!["get"]!["parameters"]!.AsArray()
            .Select(p => p!["name"]?.GetValue<string>() ?? p["$ref"]!.GetValue<string>()).ToList();
        Assert.Contains("pop_max", names);
        Assert.Contains("#/components/parameters/bbox", names);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/collections")]
    [InlineData($"/collections/{Places}/items?limit=3")]
    public async Task Head_AnswersLikeGetWithoutABody(string url)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CrossOriginRead_IsAllowedForMapClients()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/collections/{Rivers}/items?limit=1");
        request.Headers.Add("Origin", "http://maps.example");
        using var response = await Client.SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task CrossOriginPreflight_AllowsReads()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, $"/collections/{Rivers}/items?limit=1");
        request.Headers.Add("Origin", "http://maps.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "accept");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task SameOriginRead_GetsNoCorsHeaders()
    {
        using var response = await Client.GetAsync($"/collections/{Rivers}/items?limit=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task WrongMethod_IsA405Problem()
    {
        // POST /collections creates collections (Part 4); nothing takes a PUT there.
        using var response = await Client.PutAsync("/collections", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Probes_AndMetrics_Answer()
    {
        await Client.GetJsonAsync($"/collections/{Places}/items?bbox=0,0,10,10", "application/geo+json");

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/ready")).StatusCode);
        var metrics = await Client.GetStringAsync("/metrics");
        Assert.Contains("geospatial_requests_total{", metrics);
        Assert.Contains("endpoint=\"/collections/{collectionId}/items\"", metrics);
        Assert.Contains("geospatial_request_duration_seconds_bucket{", metrics);
        Assert.Contains("geospatial_active_connections", metrics);
        Assert.Contains("geospatial_spatial_queries_total{", metrics);
        Assert.Contains("operation=\"bbox\"", metrics);
    }
}

public sealed class GeoPackageFeaturesHttpTests(GeoPackageCql2Server server) : FeaturesHttpContract(server), IClassFixture<GeoPackageCql2Server>;

public sealed class PostGisFeaturesHttpTests(PostGisCql2Server server) : FeaturesHttpContract(server), IClassFixture<PostGisCql2Server>;
