using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;
using static Meridian.Tests.Features.TransactionsServer;

namespace Meridian.Tests.Features;

/// <summary>
/// OGC API - Features Part 4 over HTTP on a real Kestrel, run unchanged against each store: every test creates
/// its own collection through <c>POST /collections</c>, writes to it, and reads back what the store holds.
/// </summary>
public abstract class TransactionsHttpContract(TransactionsServer server)
{
    private HttpClient Client => server.Client;

    private const string Paris = """{"type":"Feature","geometry":{"type":"Point","coordinates":[2.35,48.85]},"properties":{"name":"Paris","population":2100000,"area":105.4,"capital":true,"founded":"0300-01-01","observed":"2020-01-01T00:00:00Z","code":"FRA"}}""";

    private async Task<string> CreateCollectionAsync(string geometryType = "Point", string crs = "EPSG:4326")
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        var body = $$$"""
            {"id":"{{{id}}}","title":"Test {{{id}}}","description":"written by tests","geometryType":"{{{geometryType}}}","crs":"{{{crs}}}",
             "properties":{"name":{"type":"string"},"population":{"type":"integer"},"area":{"type":"number"},"capital":{"type":"boolean"},
                           "founded":{"type":"string","format":"date"},"observed":{"type":"string","format":"date-time"},
                           "code":{"type":"string","maxLength":3}},
             "required":["name"]}
            """;
        using var response = await Client.SendAsync(Request(HttpMethod.Post, "/collections", body, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? body = null, string contentType = "application/geo+json",
        string? key = Key, params (string Name, string Value)[] headers) =>
        await Client.SendAsync(Request(method, url, body, contentType, key, headers));

    private async Task<string> CreateFeatureAsync(string collection, string body = Paris)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.AbsolutePath;
    }

    private async Task<(JsonNode Feature, string ETag)> GetFeatureAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.ETag!.ToString());
    }

    /// <summary>Every feature of the collection as JSON text, to show that a refused write changed nothing.</summary>
    private async Task<string> ContentAsync(string collection)
    {
        var page = await Client.GetJsonAsync($"/collections/{collection}/items?limit=1000", "application/geo+json");
        return page["features"]!.ToJsonString();
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static IEnumerable<string> Pointers(JsonNode problem) =>
        problem["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>());

    [Fact]
    public async Task Feature_CreateGetReplacePatchDelete_RoundTrips()
    {
        var collection = await CreateCollectionAsync();

        using var created = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", Paris);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = created.Headers.Location!.AbsolutePath;
        Assert.StartsWith($"/collections/{collection}/items/", path);
        var (feature, tag) = await GetFeatureAsync(path);
        Assert.Equal(created.Headers.ETag!.ToString(), tag);
        Assert.Equal("Paris", feature["properties"]!["name"]!.GetValue<string>());
        Assert.Equal(2_100_000, feature["properties"]!["population"]!.GetValue<long>());
        Assert.Equal("0300-01-01", feature["properties"]!["founded"]!.GetValue<string>());
        Assert.Equal("FRA", feature["properties"]!["code"]!.GetValue<string>());
        Assert.Equal(48.85, feature["geometry"]!["coordinates"]![1]!.GetValue<double>(), 9);

        using var replaced = await SendAsync(HttpMethod.Put, path,
            """{"type":"Feature","geometry":{"type":"Point","coordinates":[4.83,45.76]},"properties":{"name":"Lyon"}}""", headers: ("If-Match", tag));
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        (feature, var replacedTag) = await GetFeatureAsync(path);
        Assert.Equal(replaced.Headers.ETag!.ToString(), replacedTag);
        Assert.NotEqual(tag, replacedTag);
        Assert.Equal("Lyon", feature["properties"]!["name"]!.GetValue<string>());
        Assert.Null(feature["properties"]!["population"]);
        Assert.Equal(4.83, feature["geometry"]!["coordinates"]![0]!.GetValue<double>(), 9);

        using var patched = await SendAsync(HttpMethod.Patch, path, """{"properties":{"population":513000,"capital":false}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        (feature, _) = await GetFeatureAsync(path);
        Assert.Equal("Lyon", feature["properties"]!["name"]!.GetValue<string>());
        Assert.Equal(513_000, feature["properties"]!["population"]!.GetValue<long>());
        Assert.False(feature["properties"]!["capital"]!.GetValue<bool>());
        Assert.Equal(4.83, feature["geometry"]!["coordinates"]![0]!.GetValue<double>(), 9);

        using var deleted = await SendAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await ProblemAsync(await SendAsync(HttpMethod.Delete, path), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(HttpMethod.Patch, path, "{}", "application/merge-patch+json"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Patch_NullMembersClear_GeometryMoves_InBboxQueries()
    {
        var collection = await CreateCollectionAsync();
        var path = await CreateFeatureAsync(collection);

        using var patched = await SendAsync(HttpMethod.Patch, path,
            """{"geometry":{"type":"Point","coordinates":[-70,-30]},"properties":{"area":null}}""", "application/json");

        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        var (feature, _) = await GetFeatureAsync(path);
        Assert.Null(feature["properties"]!["area"]);
        Assert.Equal("Paris", feature["properties"]!["name"]!.GetValue<string>());
        var there = await Client.GetJsonAsync($"/collections/{collection}/items?bbox=-71,-31,-69,-29", "application/geo+json");
        var before = await Client.GetJsonAsync($"/collections/{collection}/items?bbox=2,48,3,49", "application/geo+json");
        Assert.Equal(1, there["numberReturned"]!.GetValue<int>());
        Assert.Equal(0, before["numberReturned"]!.GetValue<int>());
    }

    [Fact]
    public async Task IfMatch_StaleTag_Is412WithTheCurrentTagAndChangesNothing()
    {
        var collection = await CreateCollectionAsync();
        var path = await CreateFeatureAsync(collection);
        var (_, tag) = await GetFeatureAsync(path);
        using (var first = await SendAsync(HttpMethod.Patch, path, """{"properties":{"population":1}}""", "application/merge-patch+json", headers: ("If-Match", tag)))
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        var content = await ContentAsync(collection);
        var (_, current) = await GetFeatureAsync(path);

        using var stale = await SendAsync(HttpMethod.Patch, path, """{"properties":{"population":2}}""", "application/merge-patch+json", headers: ("If-Match", tag));
        await ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(current, stale.Headers.ETag!.ToString());
        using var staleDelete = await SendAsync(HttpMethod.Delete, path, headers: ("If-Match", tag));
        await ProblemAsync(staleDelete, HttpStatusCode.PreconditionFailed);
        using var weak = await SendAsync(HttpMethod.Delete, path, headers: ("If-Match", "W/" + current));
        await ProblemAsync(weak, HttpStatusCode.PreconditionFailed);

        Assert.Equal(content, await ContentAsync(collection));
        using var missing = await SendAsync(HttpMethod.Delete, $"/collections/{collection}/items/987654", headers: ("If-Match", "*"));
        await ProblemAsync(missing, HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task ConcurrentConditionalPatches_ExactlyOneWins()
    {
        var collection = await CreateCollectionAsync();
        var path = await CreateFeatureAsync(collection);
        var (_, tag) = await GetFeatureAsync(path);

        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => SendAsync(HttpMethod.Patch, path,
            $$$"""{"properties":{"population":{{{i}}}}}""", "application/merge-patch+json", headers: ("If-Match", tag))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = responses.Single(r => r.StatusCode == HttpStatusCode.NoContent).Headers.ETag!.ToString();
        Assert.Equal(winner, (await GetFeatureAsync(path)).ETag);
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task ConcurrentCreates_AllCommitWithDistinctIds()
    {
        var collection = await CreateCollectionAsync();

        var paths = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => CreateFeatureAsync(collection)));

        Assert.Equal(12, paths.Distinct().Count());
        var page = await Client.GetJsonAsync($"/collections/{collection}/items?limit=100", "application/geo+json");
        Assert.Equal(12, page["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Writes_WithoutOrWithAWrongKey_Are401AndReadsStayAnonymous()
    {
        var collection = await CreateCollectionAsync();
        var path = await CreateFeatureAsync(collection);
        var content = await ContentAsync(collection);

        using var missing = await SendAsync(HttpMethod.Delete, path, key: null);
        await ProblemAsync(missing, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Bearer", missing.Headers.WwwAuthenticate.ToString());
        using var wrong = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", Paris, key: "not-the-key-0123456789");
        await ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        using var collectionWrite = await SendAsync(HttpMethod.Delete, $"/collections/{collection}", key: null);
        await ProblemAsync(collectionWrite, HttpStatusCode.Unauthorized);
        Assert.Equal(content, await ContentAsync(collection));

        using var headerKey = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", Paris, key: null, headers: ("X-API-Key", Key));
        Assert.Equal(HttpStatusCode.Created, headerKey.StatusCode);
    }

    [Fact]
    public async Task Validation_ListsEveryInvalidMemberAndWritesNothing()
    {
        var collection = await CreateCollectionAsync();
        await CreateFeatureAsync(collection);
        var content = await ContentAsync(collection);

        using var response = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", """
            {"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"colour":"red",
             "properties":{"name":null,"population":"many","area":true,"founded":"yesterday","observed":12,"height":3,"code":"FRA1"}}
            """);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("urn:meridian:problem:invalid-feature", problem["type"]!.GetValue<string>());
        Assert.Equal(
            new[] { "/colour", "/properties/area", "/properties/code", "/properties/founded", "/properties/height", "/properties/name", "/properties/observed", "/properties/population" },
            Pointers(problem).Order(StringComparer.Ordinal));
        Assert.Equal(content, await ContentAsync(collection));
    }

    public static TheoryData<string, string, string, HttpStatusCode> HostileBodies => new()
    {
        { "deep nesting", "application/geo+json", "{\"type\":\"Feature\",\"properties\":{\"name\":" + new string('[', 5000) + new string(']', 5000) + "}}", HttpStatusCode.BadRequest },
        { "huge integer", "application/geo+json", """{"type":"Feature","geometry":null,"properties":{"name":"x","population":1e999}}""", HttpStatusCode.BadRequest },
        { "huge coordinate", "application/geo+json", """{"type":"Feature","geometry":{"type":"Point","coordinates":[1e999,0]},"properties":{"name":"x"}}""", HttpStatusCode.BadRequest },
        { "NaN text", "application/geo+json", """{"type":"Feature","geometry":null,"properties":{"name":"x","area":NaN}}""", HttpStatusCode.BadRequest },
        { "wrong geometry type", "application/geo+json", """{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]},"properties":{"name":"x"}}""", HttpStatusCode.BadRequest },
        { "outside CRS84", "application/geo+json", """{"type":"Feature","geometry":{"type":"Point","coordinates":[200,95]},"properties":{"name":"x"}}""", HttpStatusCode.BadRequest },
        { "truncated", "application/geo+json", """{"type":"Feature","geometry":{"type":"Point","coordinates":[1,""", HttpStatusCode.BadRequest },
        { "not an object", "application/geo+json", "[1,2,3]", HttpStatusCode.BadRequest },
        { "a feature collection", "application/geo+json", """{"type":"FeatureCollection","features":[]}""", HttpStatusCode.BadRequest },
        { "missing required", "application/geo+json", """{"type":"Feature","geometry":null,"properties":{}}""", HttpStatusCode.BadRequest },
        { "wrong content type", "text/plain", Paris, HttpStatusCode.UnsupportedMediaType },
        { "10 MB body", "application/geo+json", """{"type":"Feature","geometry":null,"properties":{"name":" """ + new string('x', 10 << 20) + "\"}}", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileBody_Is4xxAndWritesNothing(string what, string contentType, string body, HttpStatusCode status)
    {
        var collection = await CreateCollectionAsync();
        var path = await CreateFeatureAsync(collection);
        var content = await ContentAsync(collection);

        using var created = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", body, contentType);
        using var replaced = await SendAsync(HttpMethod.Put, path, body, contentType);

        var problem = await ProblemAsync(created, status);
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()), what);
        await ProblemAsync(replaced, status);
        Assert.Equal(content, await ContentAsync(collection));
    }

    [Fact]
    public async Task MalformedJson_NamesThePosition()
    {
        var collection = await CreateCollectionAsync();

        using var response = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", "{\"type\":\"Feature\",\n \"geometry\": nul }");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("line 2", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task SelfIntersectingPolygon_IsRefusedWithTheReasonAndLocation()
    {
        var collection = await CreateCollectionAsync("Polygon");

        using var response = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items",
            """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]},"properties":{"name":"bowtie"}}""");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var error = problem["errors"]![0]!;
        Assert.Equal("/geometry", error["pointer"]!.GetValue<string>());
        Assert.Contains("Self-intersection", error["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("(5 5)", error["detail"]!.GetValue<string>());
        Assert.Equal("[]", await ContentAsync(collection));
    }

    [Fact]
    public async Task WebMercatorCollection_StoresCrs84InputAndServesItBack()
    {
        var collection = await CreateCollectionAsync("Point", "EPSG:3857");

        var path = await CreateFeatureAsync(collection);

        var (feature, _) = await GetFeatureAsync(path);
        Assert.Equal(2.35, feature["geometry"]!["coordinates"]![0]!.GetValue<double>(), 6);
        Assert.Equal(48.85, feature["geometry"]!["coordinates"]![1]!.GetValue<double>(), 6);
        using var polar = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items",
            """{"type":"Feature","geometry":{"type":"Point","coordinates":[0,89]},"properties":{"name":"pole"}}""");
        await ProblemAsync(polar, HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// OGC 20-002r1 9.5 with Part 2: /req/features/content-crs-header and crs-other-crs A (positions are read in the
    /// Content-Crs, in its axis order), default-crs (CRS84 without it), crs-other-crs B (an unknown CRS is an error).
    /// </summary>
    [Theory]
    [InlineData("<http://www.opengis.net/def/crs/EPSG/0/3857>", "[261600.8033641929, 6249447.752791281]")]
    [InlineData("<http://www.opengis.net/def/crs/EPSG/0/4326>", "[48.85, 2.35]")]
    [InlineData("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>", "[2.35, 48.85]")]
    [InlineData(null, "[2.35, 48.85]")]
    public async Task Write_ContentCrs_ReadsPositionsInThatCrs(string? contentCrs, string position)
    {
        var collection = await CreateCollectionAsync();
        var body = Paris.Replace("[2.35,48.85]", position, StringComparison.Ordinal);
        (string, string)[] headers = contentCrs is null ? [] : [("Content-Crs", contentCrs)];

        using var created = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", body, headers: headers);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = created.Headers.Location!.AbsolutePath;
        using var patched = await SendAsync(HttpMethod.Patch, path, $$$"""{"geometry":{"type":"Point","coordinates":{{{position}}}}}""",
            "application/merge-patch+json", headers: headers);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);

        var (feature, _) = await GetFeatureAsync(path);
        Assert.Equal(2.35, feature["geometry"]!["coordinates"]![0]!.GetValue<double>(), 6);
        Assert.Equal(48.85, feature["geometry"]!["coordinates"]![1]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task Write_UnknownContentCrs_Is400NamingTheHeaderAndWritesNothing()
    {
        var collection = await CreateCollectionAsync();
        var content = await ContentAsync(collection);

        using var response = await SendAsync(HttpMethod.Post, $"/collections/{collection}/items", Paris,
            headers: ("Content-Crs", "<http://www.opengis.net/def/crs/EPSG/0/99999>"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Content-Crs", problem["title"]!.GetValue<string>());
        Assert.Equal(content, await ContentAsync(collection));
    }

    /// <summary>
    /// OGC 20-002r1 /req/create-replace-delete/options-op and options-response (200 with Allow listing what is allowed
    /// now), /req/update/methods (PATCH declared through OPTIONS); Accept-Post and Accept-Patch name the bodies taken.
    /// </summary>
    [Fact]
    public async Task Options_ListsTheAllowedMethodsOfEachWritableResource()
    {
        var collection = await CreateCollectionAsync();
        var feature = await CreateFeatureAsync(collection);

        using var item = await SendAsync(HttpMethod.Options, feature, key: null);
        using var items = await SendAsync(HttpMethod.Options, $"/collections/{collection}/items", key: null);
        using var described = await SendAsync(HttpMethod.Options, $"/collections/{collection}", key: null);
        using var collections = await SendAsync(HttpMethod.Options, "/collections", key: null);

        Assert.Equal(HttpStatusCode.OK, item.StatusCode);
        Assert.Equal(["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"], item.Content.Headers.Allow);
        Assert.Contains("application/merge-patch+json", item.Headers.GetValues("Accept-Patch").Single());
        Assert.Equal(["GET", "HEAD", "POST", "OPTIONS"], items.Content.Headers.Allow);
        Assert.Contains("application/geo+json", items.Headers.GetValues("Accept-Post").Single());
        Assert.Equal(["GET", "HEAD", "DELETE", "OPTIONS"], described.Content.Headers.Allow);
        Assert.Equal(["GET", "HEAD", "POST", "OPTIONS"], collections.Content.Headers.Allow);
        await ProblemAsync(await SendAsync(HttpMethod.Options, $"/collections/{collection}/items/999999"), HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(HttpMethod.Options, "/collections/no-such-collection/items"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Collections_CreateConflictAndDelete()
    {
        var collection = await CreateCollectionAsync("MultiPolygon");
        var described = await Client.GetJsonAsync($"/collections/{collection}");
        Assert.Equal("written by tests", described["description"]!.GetValue<string>());

        using var again = await SendAsync(HttpMethod.Post, "/collections",
            $$"""{"id":"{{collection}}","geometryType":"Point"}""", "application/json");
        await ProblemAsync(again, HttpStatusCode.Conflict);

        using var deleted = await SendAsync(HttpMethod.Delete, $"/collections/{collection}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Client.GetProblemAsync($"/collections/{collection}", HttpStatusCode.NotFound);
        await ProblemAsync(await SendAsync(HttpMethod.Delete, $"/collections/{collection}"), HttpStatusCode.NotFound);
    }

    // GeoPackage and SQLite keep these table names for themselves: in the embedded store such a table collided with
    // the file's own (a 500); refused in both stores, since an id must fit wherever a collection may land.
    [Theory]
    [InlineData("gpkg_contents")]
    [InlineData("GPKG_Extensions")]
    [InlineData("sqlite_stat1")]
    public async Task Collections_ReservedId_Is400(string id)
    {
        using var response = await SendAsync(HttpMethod.Post, "/collections", $$"""{"id":"{{id}}","geometryType":"Point"}""", "application/json");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["/id"], Pointers(problem));
        await Client.GetProblemAsync($"/collections/{id}", HttpStatusCode.NotFound);
    }

    // SQLite's tables take 2,000 columns and PostgreSQL's 1,600: a definition past either was a 500 from the store.
    [Fact]
    public async Task Collections_TooManyProperties_Is400()
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        var properties = string.Join(",", Enumerable.Range(0, 2500).Select(i => $$"""
            "p{{i}}":{"type":"string"}
            """));

        using var response = await SendAsync(HttpMethod.Post, "/collections", $$$"""{"id":"{{{id}}}","geometryType":"Point","properties":{{{{properties}}}}}""", "application/json");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["/properties"], Pointers(problem));
        await Client.GetProblemAsync($"/collections/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Collections_InvalidDefinition_ListsEveryMistake()
    {
        using var response = await SendAsync(HttpMethod.Post, "/collections", """
            {"id":"../etc/passwd","geometryType":"Circle","crs":"EPSG:27700","extra":1,
             "properties":{"ok":{"type":"string"},"bad name":{"type":"string"},"fid":{"type":"integer"},"weird":{"type":"tuple"}},
             "required":["missing"]}
            """, "application/json");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            new[] { "/crs", "/extra", "/geometryType", "/id", "/properties/bad name", "/properties/fid", "/properties/weird", "/required" },
            Pointers(problem).Order(StringComparer.Ordinal));
        var ids = (await Client.GetJsonAsync("/collections"))["collections"]!.AsArray().Select(c => c!["id"]!.GetValue<string>());
        Assert.DoesNotContain("../etc/passwd", ids);
    }

    [Fact]
    public async Task ConformanceAndOpenApi_DescribeTheWrites()
    {
        var collection = await CreateCollectionAsync();

        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var api = await Client.GetJsonAsync("/api", "application/vnd.oai.openapi+json");

        foreach (var c in new[] { "create-replace-delete", "update", "features" })
            Assert.Contains($"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/{c}", classes);
        var items = api["paths"]![$"/collections/{collection}/items"]!;
        Assert.NotNull(items["post"]);
        var feature = api["paths"]![$"/collections/{collection}/items/{{featureId}}"]!;
        Assert.NotNull(feature["put"]);
        Assert.NotNull(feature["patch"]!["requestBody"]!["content"]!["application/merge-patch+json"]);
        Assert.NotNull(feature["delete"]);
        var accepted = items["post"]!["requestBody"]!["content"]!["application/geo+json"]!["schema"]!;
        Assert.Equal("integer", accepted["properties"]!["properties"]!["properties"]!["population"]!["type"]!.GetValue<string>());
        Assert.NotNull(api["paths"]!["/collections"]!["post"]);
        foreach (var write in new[] { items["post"]!, feature["put"]!, feature["patch"]! })
            Assert.Contains(write["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Content-Crs" && p["in"]!.GetValue<string>() == "header");
    }

    [Fact]
    public async Task Schema_TellsWhatTheCollectionAccepts()
    {
        var collection = await CreateCollectionAsync("Polygon");
        var links = (await Client.GetJsonAsync($"/collections/{collection}"))["links"]!.AsArray();
        var href = links.Single(l => l!["rel"]!.GetValue<string>() == "http://www.opengis.net/def/rel/ogc/1.0/schema")!["href"]!.GetValue<string>();

        var schema = await Client.GetJsonAsync(href, "application/schema+json");

        var properties = schema["properties"]!["properties"]!;
        Assert.Equal("""["integer","null"]""", properties["properties"]!["population"]!["type"]!.ToJsonString());
        Assert.Equal("string", properties["properties"]!["name"]!["type"]!.GetValue<string>());
        Assert.Equal("date-time", properties["properties"]!["observed"]!["format"]!.GetValue<string>());
        Assert.Equal(3, properties["properties"]!["code"]!["maxLength"]!.GetValue<int>());
        Assert.Equal("""["name"]""", properties["required"]!.ToJsonString());
        Assert.Equal("""["Polygon"]""", schema["properties"]!["geometry"]!["properties"]!["type"]!["enum"]!.ToJsonString());
        // An absolute $id: a relative one ("tabc") would resolve against the retrieval URI to …/{id}/tabc.
        Assert.Equal(new Uri(Client.BaseAddress!, $"/collections/{collection}/schema"), new Uri(schema["$id"]!.GetValue<string>()));
    }
}
