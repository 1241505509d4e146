using System.Net;
using System.Text.Json.Nodes;
using Meridian.Storage.Spatial;
using Meridian.Tests.Composition;
using static Meridian.Tests.Features.Cql2DatasetServer;

namespace Meridian.Tests.Features;

/// <summary>
/// OGC API - Features Part 2 (CRS by reference) over HTTP, run unchanged against every store: the crs and
/// bbox-crs parameters, the Content-Crs header, and the CRS lists of the collections.
/// </summary>
public abstract class CrsHttpContract(Cql2DatasetServer server)
{
    private const string Epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
    private const string Epsg3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";

    private HttpClient Client => server.Client;

    private static string Escaped(string uri) => Uri.EscapeDataString(uri);

    private async Task<(JsonNode Body, string? ContentCrs)> GetGeoJsonAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var contentCrs = response.Headers.TryGetValues("Content-Crs", out var values) ? values.Single() : null;
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!, contentCrs);
    }

    private static async Task<Dictionary<string, NetTopologySuite.Geometries.Coordinate>> PlacesByNameAsync() =>
        (await Cql2Oracle.FeaturesAsync(Places)).ToDictionary(f => (string)Cql2Oracle.Property(f, "name")!, f => f.Geometry!.Coordinate);

    private static double[] Position(JsonNode feature) =>
        feature["geometry"]!["coordinates"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private static string Name(JsonNode feature) => feature["properties"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task Items_NoCrs_AreCrs84WithItsContentCrsHeader()
    {
        var (_, contentCrs) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=5");

        Assert.Equal($"<{CrsRegistry.Crs84Uri}>", contentCrs);
    }

    [Fact]
    public async Task Items_Crs4326_AreLatitudeFirst()
    {
        var oracle = await PlacesByNameAsync();

        var (page, contentCrs) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=50&crs={Escaped(Epsg4326)}");

        Assert.Equal($"<{Epsg4326}>", contentCrs);
        foreach (var feature in page["features"]!.AsArray())
        {
            var expected = oracle[Name(feature!)];
            var latLon = Position(feature!);
            Assert.Equal(expected.Y, latLon[0], 1e-6);
            Assert.Equal(expected.X, latLon[1], 1e-6);
        }
    }

    [Fact]
    public async Task Items_Crs3857_AreMetres()
    {
        var oracle = await PlacesByNameAsync();

        var (page, contentCrs) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=50&crs=[EPSG:3857]");

        Assert.Equal($"<{Epsg3857}>", contentCrs);
        foreach (var feature in page["features"]!.AsArray())
        {
            var expected = oracle[Name(feature!)];
            var xy = Position(feature!);
            Assert.Equal(WebMercator.X(expected.X), xy[0], 0.01);
            Assert.Equal(WebMercator.Y(expected.Y), xy[1], 0.01);
        }
    }

    [Fact]
    public async Task Items_PolygonsInAProjectedCrs_EveryFeatureIsWritten()
    {
        var (page, _) = await GetGeoJsonAsync($"/collections/{Countries}/items?limit=1000&crs=" + Escaped("http://www.opengis.net/def/crs/EPSG/0/3035"));

        Assert.Equal(page["numberMatched"]!.GetValue<int>(), page["features"]!.AsArray().Count);
        var germany = page["features"]!.AsArray().Single(f => f!["properties"]!["NAME"]?.GetValue<string>() == "Germany")!;
        // LAEA Europe is northing first: Germany lies around northing 3.0e6-3.6e6 m, easting 4.0e6-4.7e6 m.
        var first = germany["geometry"]!["coordinates"]![0]![0]![0]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.InRange(first[0], 2.6e6, 3.6e6);
        Assert.InRange(first[1], 4.0e6, 4.7e6);
    }

    [Fact]
    public async Task Feature_Crs3857_IsTransformedWithItsContentCrsHeader()
    {
        var (page, _) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=1");
        var first = page["features"]![0]!;
        var (lon, lat) = (Position(first)[0], Position(first)[1]);

        var (feature, contentCrs) = await GetGeoJsonAsync($"/collections/{Places}/items/{first["id"]}?crs={Escaped(Epsg3857)}");
        var (plain, plainCrs) = await GetGeoJsonAsync($"/collections/{Places}/items/{first["id"]}");

        Assert.Equal($"<{Epsg3857}>", contentCrs);
        Assert.Equal(WebMercator.X(lon), Position(feature)[0], 0.01);
        Assert.Equal(WebMercator.Y(lat), Position(feature)[1], 0.01);
        Assert.Equal($"<{CrsRegistry.Crs84Uri}>", plainCrs);
        Assert.Equal([lon, lat], Position(plain));
    }

    [Theory]
    [InlineData(0, 40, 20, 60)]
    [InlineData(-75, -50, -30, 15)]
    [InlineData(100, -45, 180, 0)]
    public async Task Items_BboxCrs3857_SelectsTheSameFeaturesAsTheCrs84Box(double west, double south, double east, double north)
    {
        var mercator = string.Join(',', new[] { WebMercator.X(west), WebMercator.Y(south), WebMercator.X(east), WebMercator.Y(north) }
            .Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        var (projected, _) = await GetGeoJsonAsync($"/collections/{Countries}/items?limit=1000&bbox={mercator}&bbox-crs={Escaped(Epsg3857)}");
        var (crs84, _) = await GetGeoJsonAsync($"/collections/{Countries}/items?limit=1000&bbox={west},{south},{east},{north}");

        var ids = projected["features"]!.AsArray().Select(f => f!["id"]!.ToString()).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(crs84["features"]!.AsArray().Select(f => f!["id"]!.ToString()), ids);
    }

    /// <summary>
    /// /req/crs/fc-bbox-crs-action: a Web Mercator box wider than the world (a zoomed-out map, as QGIS sends it)
    /// selects every feature between its latitudes; it was a 400.
    /// </summary>
    [Fact]
    public async Task Items_BboxCrs3857WiderThanTheWorld_SelectsEveryLongitude()
    {
        var mercator = $"-30000000,{WebMercator.Y(-60).ToString("R", System.Globalization.CultureInfo.InvariantCulture)},30000000,{WebMercator.Y(70).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";

        var (projected, _) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=1000&bbox={mercator}&bbox-crs={Escaped(Epsg3857)}");

        Assert.Equal(await Cql2Oracle.CountIntersectingAsync(Places, new NetTopologySuite.Geometries.Envelope(-180, 180, -60, 70)), projected["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Items_BboxCrs4326_IsLatitudeFirst()
    {
        var (latFirst, _) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=1000&bbox=40,0,60,20&bbox-crs=[EPSG:4326]");

        Assert.Equal(await Cql2Oracle.CountIntersectingAsync(Places, new NetTopologySuite.Geometries.Envelope(0, 20, 40, 60)), latFirst["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Items_NextLink_KeepsCrsAndBboxCrs()
    {
        var (page, _) = await GetGeoJsonAsync($"/collections/{Places}/items?limit=2&crs={Escaped(Epsg3857)}&bbox=-10,30,40,70&bbox-crs={Escaped(Epsg4326)}");

        var next = page["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "next")!["href"]!.GetValue<string>();
        var (nextPage, contentCrs) = await GetGeoJsonAsync(next);

        Assert.Contains("crs=" + Escaped(Epsg3857), next);
        Assert.Contains("bbox-crs=" + Escaped(Epsg4326), next);
        Assert.Equal($"<{Epsg3857}>", contentCrs);
        Assert.Equal(2, nextPage["numberReturned"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("crs", "http://www.opengis.net/def/crs/EPSG/0/2193")]
    [InlineData("crs", "EPSG:xyz")]
    [InlineData("bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/999999")]
    public async Task Items_UnsupportedCrs_IsA400NamingIt(string parameter, string crs)
    {
        var problem = await Client.GetProblemAsync($"/collections/{Places}/items?bbox=0,0,1,1&{parameter}={Escaped(crs)}", HttpStatusCode.BadRequest);

        Assert.Contains($"'{parameter}'", problem["title"]!.GetValue<string>());
        Assert.Contains(crs, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Feature_UnsupportedCrs_IsA400NamingIt()
    {
        var problem = await Client.GetProblemAsync($"/collections/{Places}/items/1?crs=EPSG:2193", HttpStatusCode.BadRequest);

        Assert.Contains("EPSG:2193", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Items_HtmlWithACrs_ShowsTheCrs84Map()
    {
        using var response = await Client.GetAsync($"/collections/{Places}/items?f=html&crs={Escaped(Epsg3857)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Collections_ListTheCrsOnceAndEachCollectionRefersToIt()
    {
        var collections = await Client.GetJsonAsync("/collections");

        var global = collections["crs"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(CrsRegistry.Crs84Uri, global[0]);
        Assert.Contains(Epsg4326, global);
        Assert.Contains(Epsg3857, global);
        foreach (var collection in collections["collections"]!.AsArray())
        {
            Assert.Equal(["#/crs"], collection!["crs"]!.AsArray().Select(c => c!.GetValue<string>()));
            Assert.Contains(collection["storageCrs"]!.GetValue<string>(), global);
        }
    }

    [Fact]
    public async Task Collection_ListsEveryCrsAndItsStorageCrs()
    {
        var collection = await Client.GetJsonAsync($"/collections/{Places}");

        var crs = collection["crs"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(CrsRegistry.All.Select(c => c.Uri), crs);
        Assert.Equal(CrsRegistry.Crs84Uri, collection["storageCrs"]!.GetValue<string>());
    }

    [Fact]
    public async Task Conformance_DeclaresPart2()
    {
        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => c!.GetValue<string>());

        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
    }

    [Fact]
    public async Task Api_DocumentsCrsAndBboxCrs()
    {
        var api = await Client.GetJsonAsync("/api?f=json", "application/vnd.oai.openapi+json");

        var parameters = api["paths"]![$"/collections/{Places}/items"]!["get"]!["parameters"]!.AsArray().Select(p => p!["$ref"]?.GetValue<string>());
        Assert.Contains("#/components/parameters/crs", parameters);
        Assert.Contains("#/components/parameters/bbox-crs", parameters);
    }
}

public sealed class GeoPackageCrsHttpTests(GeoPackageCql2Server server) : CrsHttpContract(server), IClassFixture<GeoPackageCql2Server>;

public sealed class PostGisCrsHttpTests(PostGisCql2Server server) : CrsHttpContract(server), IClassFixture<PostGisCql2Server>;
