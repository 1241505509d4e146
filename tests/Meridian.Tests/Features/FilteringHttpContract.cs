using System.Net;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;
using static Meridian.Tests.Features.Cql2DatasetServer;

namespace Meridian.Tests.Features;

/// <summary>
/// OGC API - Features Part 3 (filter, queryables) with sortby and properties over HTTP, unchanged against every
/// store. Expected counts are the standard's (see <see cref="Cql2ConformanceCases"/>).
/// </summary>
public abstract class FilteringHttpContract(Cql2DatasetServer server)
{
    private const string GeoJson = "application/geo+json";

    private HttpClient Client => server.Client;

    private static string Items(string collection, params (string Name, string Value)[] parameters) =>
        $"/collections/{collection}/items?" + string.Join("&", parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));

    private static string? Next(JsonNode page) =>
        page["links"]!.AsArray().FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "next")?["href"]!.GetValue<string>();

    private static string? Prev(JsonNode page) =>
        page["links"]!.AsArray().FirstOrDefault(l => l!["rel"]!.GetValue<string>() == "prev")?["href"]!.GetValue<string>();

    private static List<JsonNode> Features(JsonNode page) => page["features"]!.AsArray().Select(f => f!).ToList();

    /// <summary>Every fourth test-data case of the standard, so that each conformance class is seen over HTTP.</summary>
    public static TheoryData<string, string, int> SampledCases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var c in Cql2ConformanceCases.All.Where((_, i) => i % 4 == 0)) data.Add(c.Collection, c.Filter, c.ExpectedCount);
        return data;
    }

    [Theory]
    [MemberData(nameof(SampledCases))]
    public async Task Items_Cql2TextFilter_ReturnsTheStandardsCount(string collection, string filter, int expected)
    {
        var page = await Client.GetJsonAsync(Items(collection, ("filter", filter), ("limit", "1000")), GeoJson);
        // A full first page counts separately, or with the page when a spatial relation bounds the matches.
        var small = await Client.GetJsonAsync(Items(collection, ("filter", filter), ("limit", "2")), GeoJson);

        Assert.Equal(expected, page["numberReturned"]!.GetValue<int>());
        Assert.Equal(expected, page["numberMatched"]!.GetValue<int>());
        Assert.Equal(expected, small["numberMatched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(Countries, """{"op":"=","args":[{"property":"NAME"},"Luxembourg"]}""", 1)]
    [InlineData(Countries, """{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[150,-90,-150,90]}]}""", 10)]
    [InlineData(Countries, """{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[7.02,49.92]}]}""", 1)]
    [InlineData(Places, """{"op":"and","args":[{"op":">","args":[{"property":"pop_other"},1038288]},{"op":"casei","args":[{"property":"name"}]}]}""", -1)]
    [InlineData(Places, """{"op":"t_after","args":[{"property":"start"},{"timestamp":"2022-04-16T10:13:19Z"}]}""", 1)]
    public async Task Items_Cql2JsonFilter_MatchesLikeText(string collection, string filter, int expected)
    {
        var url = Items(collection, ("filter", filter), ("filter-lang", "cql2-json"), ("limit", "1000"));
        if (expected < 0)
        {
            // CASEI of a property is a string, not a predicate: the binder says so, with the JSON path.
            var problem = await Client.GetProblemAsync(url, HttpStatusCode.BadRequest);
            Assert.Contains("$.args[1]", problem["detail"]!.GetValue<string>());
            return;
        }
        var page = await Client.GetJsonAsync(url, GeoJson);

        Assert.Equal(expected, page["numberReturned"]!.GetValue<int>());
    }

    /// <summary>
    /// cql2.json's inListOperands puts no minItems on the list, so an empty one is a valid filter (cql2-text cannot
    /// write it): no value is in it. Every store must run it; PostgreSQL has no "IN ()".
    /// </summary>
    [Theory]
    [InlineData("""{"op":"in","args":[{"property":"name"},[]]}""", 0)]
    [InlineData("""{"op":"not","args":[{"op":"in","args":[{"property":"name"},[]]}]}""", 243)]
    [InlineData("""{"op":"not","args":[{"op":"in","args":[{"property":"date"},[]]}]}""", 243)]
    public async Task Items_Cql2JsonEmptyInList_MatchesNothing(string filter, int expected)
    {
        var page = await Client.GetJsonAsync(Items(Places, ("filter", filter), ("filter-lang", "cql2-json"), ("limit", "1")), GeoJson);

        Assert.Equal(expected, page["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Items_FilterLongerThanKestrelsDefaultRequestLine_IsAnswered()
    {
        // ~30 KiB once percent-encoded: past Kestrel's default 8 KiB request line, within Meridian's.
        var names = string.Join(",", Enumerable.Range(0, 2000).Select(i => $"'no place {i}'"));
        var url = Items(Places, ("filter", $"name IN ({names},'København')"));
        Assert.True(url.Length > 16 * 1024);

        var page = await Client.GetJsonAsync(url, GeoJson);

        Assert.Equal(1, page["numberMatched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "S_INTERSECTS(geom, POINT(7.02 49.92))")]
    [InlineData("[OGC:CRS84]", "S_INTERSECTS(geom, POINT(7.02 49.92))")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326", "S_INTERSECTS(geom, POINT(49.92 7.02))")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4326", "S_INTERSECTS(geom, BBOX(49.9, 7, 50, 7.1))")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", "S_INTERSECTS(geom, POINT(781462.8 6432432.8))")]
    [InlineData("[EPSG:3857]", "S_INTERSECTS(geom, BBOX(779236, 6428976, 790368, 6446276))")]
    public async Task Items_FilterCrs_ReadsAxesInItsOrder(string crs, string filter)
    {
        var page = await Client.GetJsonAsync(Items(Countries, ("filter", filter), ("filter-crs", crs)), GeoJson);

        // The 110m borders put this point in Germany; read the other way round it would be in Somalia.
        Assert.Equal("Germany", Assert.Single(Features(page))["properties"]!["NAME"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("NAME = ", "filter", "at 7")]
    [InlineData("NAME = 'Luxembourg' AND popu > 5", "filter", "'popu' at 24")]
    [InlineData("NAME > 5", "filter", "type mismatch at 7")]
    [InlineData("nope(NAME) = 1", "filter", "unsupported function 'nope' at 0")]
    [InlineData("S_INTERSECTS(geom, POINT(200 0))", "filter", "outside CRS84")]
    public async Task Items_BadFilter_IsA400NamingThePosition(string filter, string parameter, string detail)
    {
        var problem = await Client.GetProblemAsync(Items(Countries, ("filter", filter)), HttpStatusCode.BadRequest);

        Assert.Contains(parameter, problem["title"]!.GetValue<string>());
        Assert.Contains(detail, problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("filter-lang=cql2-xml&filter=true", "filter-lang")]
    [InlineData("filter-lang=cql2-json&filter=%7B%22op%22%3A", "filter")]
    [InlineData("filter-crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F999999&filter=true", "filter-crs")]
    [InlineData("sortby=nope", "sortby")]
    [InlineData("sortby=NAME,-NAME", "sortby")]
    [InlineData("properties=NAME,nope", "properties")]
    [InlineData("sortby=NAME&cursor=YTox", "cursor")]
    public async Task Items_BadFilteringParameter_IsA400NamingIt(string query, string parameter)
    {
        var problem = await Client.GetProblemAsync($"/collections/{Countries}/items?{query}", HttpStatusCode.BadRequest);

        Assert.Contains(parameter, problem["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("pop_other * 1e300 * 1e300 > 1")]
    [InlineData("pop_other ^ 1000 > 1")]
    [InlineData("9223372036854775807 + pop_other > 1")]
    [InlineData("name LIKE 'abc\\'")]
    public async Task Items_FilterTheDatabaseCannotEvaluate_IsNeverA500(string filter)
    {
        // PostgreSQL refuses overflows and a pattern ending in its escape (a 400 naming the filter); SQLite
        // computes infinities instead (a 200). Either way the request's fault is not the server's.
        using var response = await Client.GetAsync(Items(Places, ("filter", filter)));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {filter}");
        if (response.StatusCode == HttpStatusCode.BadRequest)
            Assert.Contains("filter", (await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Items_FilteredPages_NextLinksKeepTheFilter()
    {
        var url = Items(Places, ("filter", "pop_other>1038288"), ("limit", "25"));
        var ids = new List<long>();
        var first = await Client.GetJsonAsync(url, GeoJson);
        for (var page = first; ; page = await Client.GetJsonAsync(Next(page)!, GeoJson))
        {
            ids.AddRange(Features(page).Select(f => f["id"]!.GetValue<long>()));
            Assert.All(Features(page), f => Assert.True(f["properties"]!["pop_other"]!.GetValue<long>() > 1038288));
            if (Next(page) is null) break;
        }

        Assert.Equal(122, first["numberMatched"]!.GetValue<int>());
        Assert.Equal(122, ids.Distinct().Count());
    }

    [Fact]
    public async Task Items_SortBy_OrdersAcrossPagesAndBack()
    {
        var url = Items(Places, ("sortby", "-pop_other,+name"), ("limit", "40"), ("properties", "name,pop_other"));
        var pages = new List<JsonNode>();
        for (var page = await Client.GetJsonAsync(url, GeoJson); ; page = await Client.GetJsonAsync(Next(page)!, GeoJson))
        {
            pages.Add(page);
            if (Next(page) is null) break;
        }
        var rows = pages.SelectMany(Features).Select(f => (Pop: f["properties"]!["pop_other"]!.GetValue<long>(), Name: f["properties"]!["name"]!.GetValue<string>())).ToList();
        var back = await Client.GetJsonAsync(Prev(pages[^1])!, GeoJson);

        Assert.Equal(243, rows.Count);
        Assert.Equal(rows.OrderByDescending(r => r.Pop).ThenBy(r => r.Name, StringComparer.Ordinal), rows);
        Assert.Equal(Features(pages[^2]).Select(f => f["id"]!.GetValue<long>()), Features(back).Select(f => f["id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Items_Properties_ReturnsOnlyThose()
    {
        var page = await Client.GetJsonAsync(Items(Places, ("properties", "name,pop_other"), ("limit", "3")), GeoJson);
        var none = await Client.GetJsonAsync(Items(Places, ("properties", ""), ("limit", "3")), GeoJson);

        Assert.All(Features(page), f => Assert.Equal(["name", "pop_other"], f["properties"]!.AsObject().Select(p => p.Key).Order()));
        Assert.All(Features(page), f => Assert.NotNull(f["properties"]!["name"]));
        Assert.All(Features(none), f => Assert.Empty(f["properties"]!.AsObject()));
        var html = await Client.GetStringAsync(Items(Places, ("properties", "name"), ("f", "html")));
        Assert.Contains("<th>name</th>", html);
        Assert.DoesNotContain("<th>pop_other</th>", html);
    }

    [Fact]
    public async Task Queryables_IsAJsonSchemaOfTheQueryables()
    {
        var queryables = await Client.GetJsonAsync($"/collections/{Places}/queryables", "application/schema+json");
        var properties = queryables["properties"]!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", queryables["$schema"]!.GetValue<string>());
        Assert.EndsWith($"/collections/{Places}/queryables", queryables["$id"]!.GetValue<string>());
        Assert.Equal("object", queryables["type"]!.GetValue<string>());
        Assert.False(queryables["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("geometry-point", properties["geom"]!["format"]!.GetValue<string>());
        Assert.Equal("primary-geometry", properties["geom"]!["x-ogc-role"]!.GetValue<string>());
        Assert.Equal("integer", properties["pop_other"]!["type"]!.GetValue<string>());
        Assert.Equal("date", properties["date"]!["format"]!.GetValue<string>());
        Assert.Equal("date-time", properties["start"]!["format"]!.GetValue<string>());
        Assert.Equal("boolean", properties["boolean"]!["type"]!.GetValue<string>());
        Assert.Equal("string", properties["name"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Queryables_AreLinkedFromTheCollectionAndServedAsHtml()
    {
        var collection = await Client.GetJsonAsync($"/collections/{Countries}");
        var link = collection["links"]!.AsArray().Single(l => l!["rel"]!.GetValue<string>() == "http://www.opengis.net/def/rel/ogc/1.0/queryables")!;
        using var html = await Client.GetAsync($"/collections/{Countries}/queryables?f=html");

        Assert.Equal("application/schema+json", link["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("POP_EST", await html.Content.ReadAsStringAsync());
        await Client.GetJsonAsync(new Uri(link["href"]!.GetValue<string>()).PathAndQuery, "application/schema+json");
    }

    [Fact]
    public async Task Conformance_DeclaresFilteringAndEveryCql2Class()
    {
        var classes = (await Client.GetJsonAsync("/conformance"))["conformsTo"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();

        foreach (var c in new[] { "filter", "features-filter", "queryables", "queryables-query-parameters" })
            Assert.Contains($"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/{c}", classes);
        foreach (var c in Cql2ConformanceCases.All.Select(c => c.ConformanceClass).Distinct().Append("cql2-text").Append("cql2-json"))
            Assert.Contains($"http://www.opengis.net/spec/cql2/1.0/conf/{c}", classes);
    }

    [Fact]
    public async Task Api_DescribesTheFilteringParameters()
    {
        var api = await Client.GetJsonAsync("/api", "application/vnd.oai.openapi+json");
        var parameters = api["components"]!["parameters"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Superset(new HashSet<string> { "filter", "filter-lang", "filter-crs", "sortby", "properties" }, parameters.ToHashSet());
        Assert.NotNull(api["paths"]![$"/collections/{Places}/queryables"]);
    }
}

public sealed class GeoPackageFilteringHttpTests(GeoPackageCql2Server server) : FilteringHttpContract(server), IClassFixture<GeoPackageCql2Server>;

public sealed class PostGisFilteringHttpTests(PostGisCql2Server server) : FilteringHttpContract(server), IClassFixture<PostGisCql2Server>;
