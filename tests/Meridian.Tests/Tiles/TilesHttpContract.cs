using Meridian.Tests.Composition;
using System.Net;
using System.Text.Json.Nodes;
using Meridian.Tests.Features;
using NetTopologySuite.Geometries;
using static Meridian.Tests.Features.Cql2DatasetServer;

namespace Meridian.Tests.Tiles;

/// <summary>
/// OGC API - Tiles over HTTP on a real Kestrel, run unchanged against every store with the CQL2 dataset. Tiles
/// are decoded with NetTopologySuite's MVT model; expected counts come from <see cref="Cql2Oracle"/>.
/// </summary>
public abstract class TilesHttpContract(Cql2DatasetServer server)
{
    private const string Mvt = "application/vnd.mapbox-vector-tile";

    /// <summary>The default buffer (64 of 4096 grid units) as a fraction of a tile's width.</summary>
    private const double Buffer = 64.0 / 4096;

    private HttpClient Client => server.Client;

    private async Task<Dictionary<string, List<MvtFeature>>> GetTileAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Mvt, response.Content.Headers.ContentType?.MediaType);
        return Testing.Mvt.Decode(await response.Content.ReadAsByteArrayAsync());
    }

    private static IEnumerable<JsonNode> Links(JsonNode document, string rel) =>
        document["links"]!.AsArray().Where(l => l!["rel"]!.GetValue<string>() == rel).Select(l => l!);

    [Fact]
    public async Task TileMatrixSets_ListsWebMercatorQuadAndWorldCrs84Quad()
    {
        var sets = (await Client.GetJsonAsync("/tileMatrixSets"))["tileMatrixSets"]!.AsArray();

        Assert.Equal(["WebMercatorQuad", "WorldCRS84Quad"], sets.Select(s => s!["id"]!.GetValue<string>()));
        Assert.All(sets, s => Assert.Single(Links(s!, "self")));
    }

    [Theory]
    [InlineData("WebMercatorQuad", 25, "http://www.opengis.net/def/crs/EPSG/0/3857", 1)]
    [InlineData("WorldCRS84Quad", 24, "http://www.opengis.net/def/crs/OGC/1.3/CRS84", 2)]
    public async Task TileMatrixSet_DefinesEveryMatrix(string id, int matrices, string crs, int rootWidth)
    {
        var set = await Client.GetJsonAsync($"/tileMatrixSets/{id}");

        Assert.Equal(crs, set["crs"]!.GetValue<string>());
        var tileMatrices = set["tileMatrices"]!.AsArray();
        Assert.Equal(matrices, tileMatrices.Count);
        Assert.Equal("0", tileMatrices[0]!["id"]!.GetValue<string>());
        Assert.Equal(rootWidth, tileMatrices[0]!["matrixWidth"]!.GetValue<long>());
        Assert.Equal("topLeft", tileMatrices[0]!["cornerOfOrigin"]!.GetValue<string>());
        Assert.Equal(256, tileMatrices[^1]!["tileWidth"]!.GetValue<int>());
    }

    [Fact]
    public async Task Conformance_LandingPageAndCollections_ShowTheTiles()
    {
        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var landing = await Client.GetJsonAsync("/");
        var collection = await Client.GetJsonAsync($"/collections/{Places}");

        foreach (var c in new[] { "core", "tileset", "tilesets-list", "geodata-tilesets", "dataset-tilesets", "collections-selection", "mvt" })
            Assert.Contains($"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{c}", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.EndsWith("/tileMatrixSets", Links(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes").Single()["href"]!.GetValue<string>());
        Assert.EndsWith("/tiles", Links(landing, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector").Single()["href"]!.GetValue<string>());
        Assert.EndsWith($"/collections/{Places}/tiles",
            Links(collection, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector").Single()["href"]!.GetValue<string>());
    }

    [Fact]
    public async Task CollectionTilesets_LinkEachTilesetAndItsTileTemplate()
    {
        var tilesets = (await Client.GetJsonAsync($"/collections/{Rivers}/tiles"))["tilesets"]!.AsArray();

        Assert.Equal(2, tilesets.Count);
        var webMercator = tilesets.Single(t => t!["tileMatrixSetURI"]!.GetValue<string>().EndsWith("/WebMercatorQuad", StringComparison.Ordinal))!;
        Assert.Equal("vector", webMercator["dataType"]!.GetValue<string>());
        var item = Links(webMercator, "item").Single();
        Assert.EndsWith($"/collections/{Rivers}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}", item["href"]!.GetValue<string>());
        Assert.True(item["templated"]!.GetValue<bool>());
        Assert.Equal(Mvt, item["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task CollectionTileset_DescribesTheLayerAndLinksTheTilingScheme()
    {
        var tileset = await Client.GetJsonAsync($"/collections/{Places}/tiles/WebMercatorQuad");

        Assert.Equal("http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad", tileset["tileMatrixSetURI"]!.GetValue<string>());
        var layer = Assert.Single(tileset["layers"]!.AsArray())!;
        Assert.Equal(Places, layer["id"]!.GetValue<string>());
        Assert.Equal(0, layer["geometryDimension"]!.GetValue<int>());
        Assert.Equal("integer", layer["propertiesSchema"]!["properties"]!["pop_max"]!["type"]!.GetValue<string>());
        Assert.EndsWith("/tileMatrixSets/WebMercatorQuad",
            Links(tileset, "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme").Single()["href"]!.GetValue<string>());
        Assert.Equal(-175.22, tileset["boundingBox"]!["lowerLeft"]![0]!.GetValue<double>(), 1);
    }

    [Fact]
    public async Task TileJson_IsWhatMapLibreLoads()
    {
        var tileJson = await Client.GetJsonAsync($"/collections/{Countries}/tiles/WebMercatorQuad?f=tilejson");

        Assert.Equal("3.0.0", tileJson["tilejson"]!.GetValue<string>());
        var template = Assert.Single(tileJson["tiles"]!.AsArray())!.GetValue<string>();
        Assert.EndsWith($"/collections/{Countries}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}", template);
        Assert.StartsWith(server.Server.Address.ToString().TrimEnd('/'), template);
        Assert.Equal(Countries, Assert.Single(tileJson["vector_layers"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(4, tileJson["bounds"]!.AsArray().Count);
        Assert.True(tileJson["maxzoom"]!.GetValue<int>() >= 14);
    }

    [Fact]
    public async Task TileJson_OfTheDatasetTileset_ListsEveryCollection()
    {
        var tileJson = await Client.GetJsonAsync("/tiles/WebMercatorQuad?f=tilejson");

        var ids = tileJson["vector_layers"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { Countries, Places, Rivers }.Order(), ids.Order());
        Assert.EndsWith("/tiles/WebMercatorQuad/{z}/{y}/{x}", tileJson["tiles"]![0]!.GetValue<string>());
    }

    [Theory]
    // z3 row 2 col 4: 0..45°E, 40.98..66.51°N (Europe); z4 row 7 col 4: 90..67.5°W, 0..21.94°N (Central America).
    [InlineData(3, 2, 4)]
    [InlineData(4, 7, 4)]
    [InlineData(2, 1, 2)]
    public async Task Tile_WebMercator_HoldsEveryPlaceInTheBufferedTile(int z, int row, int col)
    {
        var expected = await Cql2Oracle.CountIntersectingAsync(Places, Testing.Mvt.WebMercatorBoundsCrs84(z, col, row, Buffer));

        var layers = await GetTileAsync($"/collections/{Places}/tiles/WebMercatorQuad/{z}/{row}/{col}");

        Assert.True(expected > 0);
        var features = Assert.Single(layers, l => l.Key == Places).Value;
        Assert.Equal(expected, features.Count);
        Assert.All(features, f => Assert.True(f.Id > 0));
        Assert.All(features, f => Assert.IsType<string>(f.Properties["name"]));
        Assert.All(features, f => Assert.IsType<long>(f.Properties["pop_max"]));
    }

    [Theory]
    // WorldCRS84Quad z1 row 0 col 2: 0..90°E, 0..90°N; z2 row 1 col 1: 135..90°W, 0..45°N; z3 row 4 col 10: 45..67.5°E, 0..22.5°S.
    [InlineData(Countries, 1, 0, 2)]
    [InlineData(Countries, 2, 1, 1)]
    [InlineData(Countries, 3, 4, 10)]
    [InlineData(Rivers, 1, 0, 2)]
    [InlineData(Places, 2, 1, 4)]
    public async Task Tile_WorldCrs84_HoldsEveryFeatureIntersectingTheBufferedTile(string collection, int z, int row, int col)
    {
        var span = 180 / Math.Pow(2, z);
        var tile = new Envelope(-180 + col * span, -180 + (col + 1) * span, 90 - (row + 1) * span, 90 - row * span);
        tile.ExpandBy(span * Buffer);
        var expected = await Cql2Oracle.CountIntersectingAsync(collection, tile);

        var layers = await GetTileAsync($"/collections/{collection}/tiles/WorldCRS84Quad/{z}/{row}/{col}");

        Assert.True(expected > 0);
        Assert.Equal(expected, layers[collection].Count);
    }

    [Fact]
    public async Task Tile_Countries_ArePolygonsWithTheirProperties()
    {
        var layers = await GetTileAsync($"/collections/{Countries}/tiles/WebMercatorQuad/2/1/2");

        var countries = layers[Countries];
        Assert.All(countries, c => Assert.Equal(NetTopologySuite.IO.VectorTiles.Mapbox.Tile.GeomType.Polygon, c.Type));
        Assert.Contains(countries, c => Equals(c.Properties.GetValueOrDefault("NAME_EN"), "Germany"));
    }

    [Fact]
    public async Task Tile_Properties_SelectsWhatTheTileCarries()
    {
        var layers = await GetTileAsync($"/collections/{Places}/tiles/WebMercatorQuad/3/2/4?properties=name,pop_max");

        Assert.All(layers[Places], f => Assert.Equal(new[] { "name", "pop_max" }, f.Properties.Keys.Order()));
        var problem = await Client.GetProblemAsync($"/collections/{Places}/tiles/WebMercatorQuad/3/2/4?properties=name,nope", HttpStatusCode.BadRequest);
        Assert.Contains("nope", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task DatasetTile_CombinesEveryCollectionAsLayers()
    {
        var layers = await GetTileAsync("/tiles/WebMercatorQuad/3/2/4");

        Assert.Equal(new[] { Countries, Places, Rivers }.Order(), layers.Keys.Order());
        var places = await GetTileAsync($"/collections/{Places}/tiles/WebMercatorQuad/3/2/4");
        Assert.Equal(places[Places].Count, layers[Places].Count);
    }

    [Fact]
    public async Task DatasetTile_Collections_SelectsTheLayers()
    {
        var layers = await GetTileAsync($"/tiles/WebMercatorQuad/3/2/4?collections={Rivers},{Places}");

        Assert.Equal(new[] { Places, Rivers }.Order(), layers.Keys.Order());
        await Client.GetProblemAsync("/tiles/WebMercatorQuad/3/2/4?collections=nope", HttpStatusCode.BadRequest);
    }

    // An empty selection used to select no layer: every tile was an empty 204, as if the area held nothing.
    [Theory]
    [InlineData("/tiles/WebMercatorQuad/3/2/4?collections=")]
    [InlineData("/tiles/WebMercatorQuad/3/2/4?collections=%20")]
    [InlineData("/tiles/WebMercatorQuad/3/2/4?collections=,")]
    [InlineData("/tiles/WebMercatorQuad/3/2/4?collections={0},,{1}")]
    [InlineData("/tiles/WebMercatorQuad/3/2/4?collections={0},")]
    [InlineData("/tiles/WebMercatorQuad/3/2/4?collections={0}&collections={1}")]
    [InlineData("/tiles/WebMercatorQuad?collections=")]
    [InlineData("/tiles/WorldCRS84Quad?collections=")]
    [InlineData("/tiles/WebMercatorQuad?collections=,{0}")]
    [InlineData("/tiles?collections=")]
    public async Task DatasetTile_Collections_EmptyOrMalformed_IsA400NamingTheParameter(string url)
    {
        var problem = await Client.GetProblemAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Rivers, Places),
            HttpStatusCode.BadRequest);

        Assert.Contains("collections", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetTile_Collections_KeepsTheOrderGiven()
    {
        // /req/collections-selection/collections-response B: leftmost first, rightmost last.
        using var response = await Client.GetAsync($"/tiles/WebMercatorQuad/3/2/4?collections={Rivers},{Countries},{Places}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Rivers, Countries, Places], Testing.Mvt.LayerNames(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task DatasetTile_Collections_TakesTheCollectionsUrls()
    {
        // /req/collections-selection/query-collections C: collection ids and/or their full URLs.
        var places = Links(await Client.GetJsonAsync($"/collections/{Places}"), "self").First()["href"]!.GetValue<string>();
        var url = places.Split('?')[0];

        var layers = await GetTileAsync($"/tiles/WebMercatorQuad/3/2/4?collections={Uri.EscapeDataString(url)},{Rivers}");

        Assert.Equal(new[] { Places, Rivers }.Order(), layers.Keys.Order());
        await Client.GetProblemAsync($"/tiles/WebMercatorQuad/3/2/4?collections={Uri.EscapeDataString("http://elsewhere.example/collections/" + Places)}",
            HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DatasetTileset_Collections_DescribesOnlyThoseLayersAndKeepsTheSelectionInItsLinks()
    {
        // /req/collections-selection/query-collections B: the dataset tileset takes `collections` too.
        var tileset = await Client.GetJsonAsync($"/tiles/WebMercatorQuad?collections={Rivers},{Places}");
        var tileJson = await Client.GetJsonAsync($"/tiles/WebMercatorQuad?collections={Rivers},{Places}&f=tilejson");

        Assert.Equal([Rivers, Places], tileset["layers"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()));
        var item = Links(tileset, "item").Single()["href"]!.GetValue<string>();
        Assert.EndsWith($"/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?collections={Rivers},{Places}", item);
        Assert.Equal([Rivers, Places], tileJson["vector_layers"]!.AsArray().Select(l => l!["id"]!.GetValue<string>()));
        var template = tileJson["tiles"]![0]!.GetValue<string>();
        Assert.EndsWith($"/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?collections={Rivers},{Places}", template);
        using var tile = await Client.GetAsync(template.Replace("{z}", "3").Replace("{y}", "2").Replace("{x}", "4"));
        Assert.Equal([Rivers, Places], Testing.Mvt.LayerNames(await tile.Content.ReadAsByteArrayAsync()));
        await Client.GetProblemAsync("/tiles/WebMercatorQuad?collections=nope", HttpStatusCode.BadRequest);
    }

    [Theory]
    // z6 row 31 col 0: open Pacific, 180..174.4°W, 0..5.6°N.
    [InlineData($"/collections/{Countries}/tiles/WebMercatorQuad/6/31/0")]
    [InlineData($"/collections/{Places}/tiles/WorldCRS84Quad/5/20/1")]
    [InlineData("/tiles/WebMercatorQuad/6/31/0")]
    public async Task Tile_EmptyOcean_IsA204(string url)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/99/0/0")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/25/0/0")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/-1/0/0")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/0/0/-1")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/2/4/0")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/2/0/4")]
    [InlineData($"/collections/{Places}/tiles/WorldCRS84Quad/0/1/0")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/3/99999999999999999999999/0")]
    [InlineData($"/collections/{Places}/tiles/NoSuchSet/0/0/0")]
    [InlineData($"/collections/{Places}/tiles/NoSuchSet")]
    [InlineData("/collections/nope/tiles/WebMercatorQuad/0/0/0")]
    [InlineData("/collections/nope/tiles")]
    [InlineData("/tileMatrixSets/NoSuchSet")]
    [InlineData("/tiles/WebMercatorQuad/30/0/0")]
    [InlineData("/tiles/WebMercatorQuad/0/0")]
    public async Task OutOfRangeOrUnknown_IsA404Problem(string url) => await Client.GetProblemAsync(url, HttpStatusCode.NotFound);

    [Theory]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/a/0/0", "tileMatrix")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/1/one/0", "tileRow")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/1/0/0.5", "tileCol")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/1/0/%27%3B%20DROP%20TABLE%20x", "tileCol")]
    [InlineData("/tiles/WebMercatorQuad/1e2/0/0", "tileMatrix")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/1/0/0?limit=5", "limit")]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/1/0/0?properties=a&properties=b", "properties")]
    [InlineData("/tileMatrixSets?bbox=0,0,1,1", "bbox")]
    public async Task InvalidParameter_IsA400ProblemNamingIt(string url, string parameter)
    {
        var problem = await Client.GetProblemAsync(url, HttpStatusCode.BadRequest);

        Assert.Contains(parameter, problem["title"]!.GetValue<string>() + problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/0/0/0?f=png", null)]
    [InlineData($"/collections/{Places}/tiles/WebMercatorQuad/0/0/0", "image/png")]
    [InlineData($"/collections/{Places}/tiles/WorldCRS84Quad?f=tilejson", null)]
    [InlineData("/tileMatrixSets", "application/xml")]
    public async Task UnacceptableFormat_IsA406Problem(string url, string? accept) => await Client.GetProblemAsync(url, HttpStatusCode.NotAcceptable, accept);

    [Fact]
    public async Task Tile_AcceptsWhatMapLibreAndBrowsersSend()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/collections/{Places}/tiles/WebMercatorQuad/0/0/0?f=mvt");
        request.Headers.Accept.ParseAdd("application/x-protobuf, */*;q=0.8");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Mvt, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MapPage_LoadsMapLibreFromThisServer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/collections/{Countries}/tiles/WebMercatorQuad");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var page = await Client.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var script = server.Server.Address.ToString().TrimEnd('/') + "/assets/maplibre/maplibre-gl.js";
        Assert.Contains($"<script src=\"{script}\"></script>", html);
        Assert.Contains("f=tilejson", html);
        Assert.DoesNotContain("https://", html);
        using var asset = await Client.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 100_000);
        await Client.GetProblemAsync("/assets/maplibre/secrets.json", HttpStatusCode.NotFound);
    }
}

public sealed class GeoPackageTilesHttpTests(GeoPackageCql2Server server) : TilesHttpContract(server), IClassFixture<GeoPackageCql2Server>;

public sealed class PostGisTilesHttpTests(PostGisCql2Server server) : TilesHttpContract(server), IClassFixture<PostGisCql2Server>;
