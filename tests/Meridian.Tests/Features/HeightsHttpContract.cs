using System.Net;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;
using static Meridian.Tests.Features.TransactionsServer;

namespace Meridian.Tests.Features;

/// <summary>
/// Collections with heights over HTTP, run unchanged against each store: created as <c>LineStringZ</c>, written and
/// read with three numbers per position (items, one item, another CRS, HTML, tiles, bbox and CQL2 filters), and
/// writes of the other dimension refused with a problem naming it, the collection left as it was.
/// </summary>
public abstract class HeightsHttpContract(TransactionsServer server)
{
    private HttpClient Client => server.Client;

    private const string Ridge = """{"type":"Feature","geometry":{"type":"LineString","coordinates":[[7.6586,45.9763,4478.125],[7.659,45.977,4470.5]]},"properties":{"name":"ridge"}}""";

    private async Task<string> CreateCollectionAsync(string geometryType)
    {
        var id = "z" + Guid.NewGuid().ToString("N")[..10];
        var body = "{\"id\":\"" + id + "\",\"geometryType\":\"" + geometryType + "\",\"properties\":{\"name\":{\"type\":\"string\"}}}";
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/collections", body, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private async Task<string> CreateFeatureAsync(string collection, string body)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, $"/collections/{collection}/items", body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.AbsolutePath;
    }

    private static double[][] Positions(JsonNode feature) =>
        feature["geometry"]!["coordinates"]!.AsArray().Select(p => p!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();

    private async Task<string> ContentAsync(string collection) =>
        (await Client.GetJsonAsync($"/collections/{collection}/items", "application/geo+json"))["features"]!.ToJsonString();

    /// <summary>The problem's detail for /geometry, after checking it is a 400 problem.</summary>
    private static async Task<string> GeometryProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var error = problem["errors"]!.AsArray().Single(e => e!["pointer"]!.GetValue<string>() == "/geometry")!;
        return error["detail"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_collection_with_heights_serves_them_everywhere()
    {
        var collection = await CreateCollectionAsync("LineStringZ");
        var path = await CreateFeatureAsync(collection, Ridge);

        var item = await Client.GetJsonAsync(path, "application/geo+json");
        Assert.Equal([[7.6586, 45.9763, 4478.125], [7.659, 45.977, 4470.5]], Positions(item));

        var items = await Client.GetJsonAsync($"/collections/{collection}/items", "application/geo+json");
        Assert.Equal([4478.125, 4470.5], Positions(items["features"]![0]!).Select(p => p[2]));

        // A horizontal reprojection moves x and y and leaves the heights as they are.
        var mercator = await Client.GetJsonAsync($"{path}?crs=http://www.opengis.net/def/crs/EPSG/0/3857", "application/geo+json");
        var projected = Positions(mercator);
        Assert.Equal([4478.125, 4470.5], projected.Select(p => p[2]));
        Assert.InRange(projected[0][0], 852_000, 853_000);

        var boxed = await Client.GetJsonAsync($"/collections/{collection}/items?bbox=7.6,45.9,7.7,46", "application/geo+json");
        Assert.Single(boxed["features"]!.AsArray());
        var boxedWithHeights = await Client.GetJsonAsync($"/collections/{collection}/items?bbox=7.6,45.9,0,7.7,46,5000", "application/geo+json");
        Assert.Single(boxedWithHeights["features"]!.AsArray());
        var outside = await Client.GetJsonAsync($"/collections/{collection}/items?bbox=8,45.9,9,46", "application/geo+json");
        Assert.Empty(outside["features"]!.AsArray());

        var filter = Uri.EscapeDataString("S_INTERSECTS(geometry, POLYGON((7.6 45.9, 7.7 45.9, 7.7 46, 7.6 46, 7.6 45.9)))");
        var filtered = await Client.GetJsonAsync($"/collections/{collection}/items?filter={filter}", "application/geo+json");
        Assert.Single(filtered["features"]!.AsArray());

        using var html = await Client.GetAsync($"{path}?f=html");
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);

        // MVT is two-dimensional: the line is in the tile, its heights are not (the encoding has no place for them).
        using var tile = await Client.GetAsync($"/collections/{collection}/tiles/WebMercatorQuad/12/1457/2135");
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        var layers = Testing.Mvt.Decode(await tile.Content.ReadAsByteArrayAsync());
        Assert.Single(layers[collection]);
    }

    [Fact]
    public async Task Replace_and_patch_with_heights_keep_them()
    {
        var collection = await CreateCollectionAsync("LineStringZ");
        var path = await CreateFeatureAsync(collection, Ridge);

        using var replaced = await Client.SendAsync(Request(HttpMethod.Put, path, Ridge.Replace("4478.125", "4478.25", StringComparison.Ordinal)));
        Assert.True(replaced.IsSuccessStatusCode, replaced.StatusCode.ToString());
        using var patched = await Client.SendAsync(Request(HttpMethod.Patch, path,
            """{"geometry":{"type":"LineString","coordinates":[[7.6586,45.9763,-10.5],[7.659,45.977,0.000001]]}}""", "application/merge-patch+json"));
        Assert.True(patched.IsSuccessStatusCode, patched.StatusCode.ToString());

        Assert.Equal([-10.5, 0.000001], Positions(await Client.GetJsonAsync(path, "application/geo+json")).Select(p => p[2]));
    }

    [Theory]
    [InlineData("""{"type":"LineString","coordinates":[[7.6586,45.9763],[7.659,45.977]]}""", "2 numbers")]
    [InlineData("""{"type":"LineString","coordinates":[[7.6586,45.9763,1],[7.659,45.977]]}""", "mixes")]
    public async Task Flat_geometries_are_refused_by_a_collection_with_heights(string geometry, string detail)
    {
        var collection = await CreateCollectionAsync("LineStringZ");
        var path = await CreateFeatureAsync(collection, Ridge);
        var before = await ContentAsync(collection);
        var feature = "{\"type\":\"Feature\",\"geometry\":" + geometry + ",\"properties\":{\"name\":\"flat\"}}";

        var posted = await GeometryProblemAsync(await Client.SendAsync(Request(HttpMethod.Post, $"/collections/{collection}/items", feature)));
        var put = await GeometryProblemAsync(await Client.SendAsync(Request(HttpMethod.Put, path, feature)));
        var patched = await GeometryProblemAsync(await Client.SendAsync(Request(HttpMethod.Patch, path, "{\"geometry\":" + geometry + "}", "application/merge-patch+json")));

        Assert.All(new[] { posted, put, patched }, d => Assert.Contains(detail, d, StringComparison.Ordinal));
        Assert.Contains("heights", posted, StringComparison.Ordinal);
        Assert.Equal(before, await ContentAsync(collection));
    }

    [Fact]
    public async Task Heights_are_refused_by_a_two_dimensional_collection()
    {
        var collection = await CreateCollectionAsync("LineString");

        var detail = await GeometryProblemAsync(await Client.SendAsync(Request(HttpMethod.Post, $"/collections/{collection}/items", Ridge)));

        Assert.Contains("two-dimensional", detail, StringComparison.Ordinal);
        Assert.Equal("[]", await ContentAsync(collection));
    }

    [Theory]
    [InlineData("""[[7.6586,45.9763,1e999],[7.659,45.977,1]]""")]
    [InlineData("""[[7.6586],[7.659,45.977,1]]""")]
    [InlineData("""[[7.6586,45.9763,"high"],[7.659,45.977,1]]""")]
    public async Task Hostile_positions_are_a_400_problem_and_write_nothing(string coordinates)
    {
        var collection = await CreateCollectionAsync("LineStringZ");
        var feature = "{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":" + coordinates + "},\"properties\":{\"name\":\"x\"}}";

        using var response = await Client.SendAsync(Request(HttpMethod.Post, $"/collections/{collection}/items", feature));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[]", await ContentAsync(collection));
    }

    [Fact]
    public async Task A_fourth_number_in_a_position_is_ignored()
    {
        // RFC 7946 3.1.1: positions SHOULD NOT have more than three elements, and parsers MAY ignore the rest.
        var collection = await CreateCollectionAsync("LineStringZ");
        var path = await CreateFeatureAsync(collection,
            """{"type":"Feature","geometry":{"type":"LineString","coordinates":[[7.6586,45.9763,1,2],[7.659,45.977,3,4]]},"properties":{}}""");

        Assert.Equal([[7.6586, 45.9763, 1], [7.659, 45.977, 3]], Positions(await Client.GetJsonAsync(path, "application/geo+json")));
    }

    [Fact]
    public async Task Geometry_type_with_z_is_listed_and_an_unknown_one_refused()
    {
        using var bad = await Client.SendAsync(Request(HttpMethod.Post, "/collections", """{"id":"zbad","geometryType":"PointZZ"}""", "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var collection = await CreateCollectionAsync("pointz");
        var created = await CreateFeatureAsync(collection, """{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,3]},"properties":{}}""");

        Assert.Equal([1.0, 2, 3], (await Client.GetJsonAsync(created, "application/geo+json"))["geometry"]!["coordinates"]!.AsArray().Select(v => v!.GetValue<double>()));
    }
}

public sealed class EmbeddedHeightsHttpTests(EmbeddedTransactionsServer server)
    : HeightsHttpContract(server), IClassFixture<EmbeddedTransactionsServer>;

public sealed class PostGisHeightsHttpTests(PostGisTransactionsServer server)
    : HeightsHttpContract(server), IClassFixture<PostGisTransactionsServer>;
