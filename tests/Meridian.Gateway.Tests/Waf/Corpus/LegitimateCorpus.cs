using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Features.Tests.Cql2;

namespace Meridian.Gateway.Tests.Waf.Corpus;

/// <summary>
/// Our own legitimate traffic, which the WAF must never block at level 1: every CQL2 filter of the standard
/// (cql2-text in the query, cql2-json in the query and in bodies), every predicate of its test suite, real
/// GeoJSON features and WKT geometries from Natural Earth as bodies, the OGC API URLs, and browser headers.
/// </summary>
public static class LegitimateCorpus
{
    private const string Items = "/collections/ne_110m_populated_places_simple/items";

    public static readonly string[] Filters =
    [
        "name LIKE 'Ber%' AND pop > 1000", "S_INTERSECTS(geometry, POLYGON((7 50, 10 50, 10 53, 7 53, 7 50)))",
        "S_WITHIN(geometry, BBOX(-10, 35, 30, 60)) AND pop_max >= 1000000", "name IN ('Bern', 'Berlin', 'Bergen') OR adm0name = 'Côte d''Ivoire'",
        "NOT (name LIKE '%city%') AND featurecla <> 'Admin-0 capital'", "T_INTERSECTS(\"date\", INTERVAL('2020-01-01', '..'))",
        "CASEI(name) = casei('LONDON') OR ACCENTI(name) = accenti('Zürich')", "pop_max BETWEEN 100000 AND 500000 AND NOT (megacity = 1)",
        "name = 'O''Brien''s Place' OR name = 'It''s'", "S_DWITHIN(geometry, POINT(2.35 48.85), 100, kilometers)",
        "A_CONTAINS(tags, ('a', 'b'))", "\"date\" > DATE('2022-01-01') AND start IS NOT NULL", "description LIKE '%select a point from the map%'",
        "name = 'Union Square' OR name = 'Order of Malta'", "note = 'drop-off point; open 9-5'", "comment = 'Or else -- nothing'",
        "pop_max * 2 > pop_min + 1000 OR pop_max / 3 < 100", "name LIKE 'A_%' AND sov0name <> 'United States of America'",
        "S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 1, 0 0)), ((2 2, 3 2, 3 3, 2 3, 2 2))))",
        "S_CROSSES(geometry, LINESTRING(-180 0, 180 0))", "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 2 2)))",
        "name = 'Ciudad de México' OR name = 'São Paulo' OR name = 'Τόκιο' OR name = '東京'", "updated >= TIMESTAMP('2024-05-01T00:00:00Z')",
        "value IS NULL OR value = -1", "name LIKE '%or%' AND name LIKE '%and%'", "x = 1 OR y = 2", "category = 'select'", "name = 'exec'",
        // Written with the held-out attack corpus: SQL words, apostrophes, comment-like and shell-like text inside literals.
        "name = 'Union Pacific Railroad' AND type = 'rail'", "category IN ('drop-off', 'pick-up', 'select', 'update', 'delete')",
        "name LIKE '%Select%' OR name LIKE 'Union%' OR name LIKE '%Drop%'", "note = 'Please select one (or more) from the list'",
        "name = 'Côte d''Ivoire' OR name = 'L''Aquila' OR name = '''s-Hertogenbosch'", "color = '#ff0000' OR color = '#00FF00'",
        "status = '--' OR status = 'n/a'", "homepage = 'https://example.org/places?id=1&lang=en' AND pop > 1000",
        "url LIKE 'http://www.opengis.net/def/crs/%'", "name = 'Drop Bear Lookout' AND type = 'viewpoint'",
        "note = 'Open daily; select a seat at the entrance'", "comment = 'Closed; drop-off at the north gate; update: new hours'",
        "name = 'AT&T Park' OR name = 'Tom & Jerry''s'", "source = 'C:\\Data\\GIS\\countries.gpkg'", "\"online\" = true AND \"onshore\" = false",
        "name = 'Rock ''n'' Roll' AND rating >= 4", "pop BETWEEN 1 AND 2 OR pop_max < 10", "T_DURING(\"date\", INTERVAL('2020-01-01', '2020-12-31')) AND name <> ''",
    ];

    /// <summary>Free-text query values (a search box, a name parameter) with apostrophes, ampersands and SQL words.</summary>
    public static readonly string[] Values =
    [
        "Côte d'Ivoire", "O'Brien's Pub", "'s-Hertogenbosch", "Rock 'n' Roll", "AT&T Park", "Tom & Jerry", "Union Square", "select", "1 or 2 bedrooms",
        "3 and 4", "L'Aquila or Pescara", "d'Artagnan and friends", "C:\\Users\\gis\\Documents", "#hashtag", "50% off -- today only",
        "Ciudad de México", "東京（Tokyo）", "ｍａｐ", "Zürich, Genève; Bern", "x=1&y=2", "/data/countries.gpkg", "2 > 1", "email@example.org",
    ];

    /// <summary>GeoJSON property values: names, notes, HTML descriptions, URLs, paths.</summary>
    /// <remarks>
    /// HTML in a description is a judgment call: formatting and links (&lt;p&gt;, &lt;b&gt;, &lt;a href="https://..."&gt;, &lt;img
    /// src="https://..."&gt;) pass at level 1, as GIS exports carry them; scripts, event handlers and javascript: URLs do not.
    /// </remarks>
    public static readonly string[] Descriptions =
    [
        "Côte d'Ivoire", "Rock 'n' Roll Hall of Fame", "Bob's \"Diner\" -- open 24/7", "Select a region; then drop the pin",
        "<p>Old town of <b>Bern</b>, see <a href=\"https://www.bern.ch/\">bern.ch</a></p>", "<img src=\"https://example.org/photo.jpg\" alt=\"View\">",
        "https://example.org/wiki/Union_(disambiguation)", "C:\\Data\\GIS\\countries.gpkg", "\\\\nas01\\gis\\roads.shp", "data:image/png;base64,iVBORw0KGgo=",
        "ftp://ftp.example.org/ne_110m.zip", "Opening hours:\nMon-Fri 9-5\nid: 42", "Price: 5 & more", "Template {{name}}", "O'Reilly & Sons; since 1999",
        "Road from A to B -- closed; select alternative route", "Line 1\r\nLine 2\r\n\r\nLine 4", "Drop-off point; update times below", "Café 'Le Select' or 'La Coupole'",
        "Population (2020): 1,234 or more", "see ../docs/readme.txt", "Temperature ${temp} °C", "[Union] Station — \"the old one\"", "a/b/c; d & e | f",
    ];

    public static readonly string[] Urls =
    [
        "/", "/?f=html", "/conformance", "/api", "/api?f=html", "/collections", "/collections?f=json", "/collections/countries",
        "/collections/countries/items", "/collections/countries/items?limit=100&bbox=-10,35,30,60",
        "/collections/countries/items?bbox=170,-50,-170,-30&limit=5", "/collections/countries/items?datetime=2018-02-12T00:00:00Z/..",
        "/collections/countries/items?datetime=../2018-03-18T12:31:12Z", "/collections/countries/items?datetime=2018-02-12/2018-03-18",
        "/collections/countries/items?cursor=MTIz&limit=10", "/collections/countries/items/42", "/collections/countries/items/42?f=html",
        "/collections/countries/items?crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F3857&bbox-crs=http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "/collections/countries/items?properties=NAME,POP_EST&sortby=-POP_EST,%2BNAME", "/collections/countries/items?NAME=Luxembourg",
        "/collections/countries/queryables", "/collections/countries/tiles", "/collections/countries/tiles/WebMercatorQuad",
        "/collections/countries/tiles/WebMercatorQuad?f=tilejson", "/collections/countries/tiles/WebMercatorQuad/3/2/4",
        "/collections/countries/tiles/WebMercatorQuad/3/2/4?properties=NAME,POP_EST", "/tiles/WebMercatorQuad/0/0/0?collections=countries,rivers",
        "/tileMatrixSets", "/tileMatrixSets/WorldCRS84Quad", "/health", "/ready", "/metrics", "/collections/ne_110m_admin_0_countries/items?filter-lang=cql2-text",
        "/collections/a.b/items", "/collections/public.roads/items?limit=1", "/collections/countries/items?f=html&limit=10&bbox=0,0,1,1",
    ];

    /// <summary>Header sets of real clients: browsers, map clients, command-line tools.</summary>
    public static readonly IReadOnlyDictionary<string, string>[] Browsers =
    [
        new Dictionary<string, string>
        {
            ["User-Agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
            ["Accept-Language"] = "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", ["Accept-Encoding"] = "gzip, deflate, br, zstd",
            ["sec-ch-ua"] = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"", ["sec-ch-ua-platform"] = "\"Windows\"",
            ["Sec-Fetch-Mode"] = "navigate", ["Upgrade-Insecure-Requests"] = "1",
            ["Cookie"] = "_ga=GA1.1.123456789.1700000000; _ga_X1=GS1.1.1700000000.1.0.1700000000.0.0.0; pref=\"dark; compact\"; lang=de",
            ["Referer"] = "http://127.0.0.1:8080/collections/countries/items?filter=name%20LIKE%20%27Ber%25%27&f=html",
        },
        new Dictionary<string, string>
        {
            ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            ["Accept"] = "application/json, text/plain, */*", ["Accept-Language"] = "en-GB,en;q=0.5", ["Origin"] = "http://localhost:5173",
            ["If-None-Match"] = "W/\"5f3a-abc\"", ["Cache-Control"] = "no-cache", ["DNT"] = "1", ["Priority"] = "u=4",
        },
        new Dictionary<string, string>
        {
            ["User-Agent"] = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            ["Accept"] = "*/*", ["Accept-Language"] = "fr-FR,fr;q=0.9", ["Referer"] = "https://maps.example.org/viewer/#map=5/48.85/2.35",
        },
        new Dictionary<string, string> { ["User-Agent"] = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
        new Dictionary<string, string> { ["User-Agent"] = "QGIS/34000/Ubuntu 24.04.1 LTS", ["Accept"] = "application/geo+json, application/json;q=0.8" },
        new Dictionary<string, string> { ["User-Agent"] = "GDAL/3.10.0", ["Accept"] = "application/geo+json, application/json, */*;q=0.1" },
        new Dictionary<string, string> { ["User-Agent"] = "GDAL/3.8.4 (OGCAPI; PROJ 9.4)", ["Accept"] = "application/json" },
        new Dictionary<string, string> { ["User-Agent"] = "Mozilla/5.0 QGIS/33400/Windows 11 Version 2009", ["Accept-Encoding"] = "gzip, deflate" },
        new Dictionary<string, string>
        {
            ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            ["Referer"] = "http://localhost:5173/map.html?style=maplibre#map=5/48.85/2.35&layers=countries;rivers",
            ["Origin"] = "http://localhost:5173", ["Cookie"] = "maplibre-state=%7B%22zoom%22%3A5%2C%22center%22%3A%5B2.35%2C48.85%5D%7D; consent=yes",
        },
        new Dictionary<string, string> { ["User-Agent"] = "MapLibre Native/6.9.0 (Android 14; Pixel 8)", ["If-None-Match"] = "\"a1b2\"" },
        new Dictionary<string, string> { ["User-Agent"] = "curl/8.11.0", ["Accept"] = "*/*", ["X-Request-Id"] = "3f2c1a9e-7b4d-4c2a-9f1e-0a1b2c3d4e5f" },
        new Dictionary<string, string>
        {
            ["User-Agent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["X-Forwarded-For"] = "203.0.113.7, 10.0.0.2",
            ["X-Forwarded-Proto"] = "https", ["Authorization"] = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", ["X-API-Key"] = "mrd_abc_'\"--",
        },
    ];

    public static IEnumerable<WafCase> All()
    {
        foreach (var row in Cql2StandardExamples.All())
        {
            var text = ((string)row[1]!).Trim();
            var json = ((string)row[2]!).Trim();
            yield return Get("cql2-text", $"{Items}?filter={Uri.EscapeDataString(text)}&filter-lang=cql2-text");
            yield return Get("cql2-json", $"{Items}?filter={Uri.EscapeDataString(json)}&filter-lang=cql2-json");
            yield return new("cql2-json", "POST", Items + "/search", WafCase.NoHeaders, json, "application/query-cql-json");
        }
        foreach (var conformance in Cql2ConformanceCases.All)
        {
            yield return Get("cql2-text", $"/collections/{conformance.Collection}/items?filter={Uri.EscapeDataString(conformance.Filter)}");
        }
        foreach (var filter in Filters)
        {
            yield return Get("cql2-text", $"{Items}?filter={Uri.EscapeDataString(filter)}&filter-lang=cql2-text");
            yield return new("cql2-text", "POST", Items + "/search", WafCase.NoHeaders, "filter=" + Uri.EscapeDataString(filter), "application/x-www-form-urlencoded");
        }
        foreach (var value in Values)
        {
            yield return Get("query-text", $"{Items}?q={Uri.EscapeDataString(value)}");
            yield return new("query-text", "GET", Items, new Dictionary<string, string> { ["Cookie"] = "last=" + Uri.EscapeDataString(value) });
        }
        foreach (var description in Descriptions)
        {
            yield return new("geojson", "PUT", "/collections/countries/items/7", WafCase.NoHeaders,
                $$$"""{"type":"Feature","id":7,"properties":{"description":{{{JsonSerializer.Serialize(description)}}}},"geometry":{"type":"Point","coordinates":[7.44,46.95]}}""",
                "application/geo+json");
        }
        foreach (var url in Urls) yield return Get("ogc-url", url);
        foreach (var headers in Browsers)
        {
            foreach (var url in Urls.Take(10)) yield return new("browser", "GET", url, headers);
        }
        foreach (var feature in GeoJsonFeatures()) yield return new("geojson", "POST", "/collections/countries/items", WafCase.NoHeaders, feature, "application/geo+json");
        foreach (var wkt in WktGeometries()) yield return new("wkt", "POST", "/collections/countries/items", WafCase.NoHeaders, wkt, "text/plain");
        yield return new("geojson", "PUT", "/collections/countries/items/5", WafCase.NoHeaders, """{"type":"Feature","id":5,"properties":{"NAME":"Test"},"geometry":null}""", "application/geo+json");
        yield return new("geojson", "PATCH", "/collections/countries/items/5", WafCase.NoHeaders, """{"properties":{"NAME":"Côte d'Ivoire"}}""", "application/merge-patch+json");
        yield return new("geojson", "DELETE", "/collections/countries/items/5", WafCase.NoHeaders);
        yield return new("ogc-url", "OPTIONS", "/collections", new Dictionary<string, string> { ["Origin"] = "http://localhost:5173", ["Access-Control-Request-Method"] = "GET" });
        yield return new("ogc-url", "HEAD", "/collections/countries/items?limit=1", WafCase.NoHeaders);
    }

    private static WafCase Get(string family, string target) => new(family, "GET", target, WafCase.NoHeaders);

    /// <summary>Every country, place and river of Natural Earth 1:110m as a feature body.</summary>
    private static IEnumerable<string> GeoJsonFeatures()
    {
        foreach (var file in new[] { "ne_110m_admin_0_countries.geojson", "ne_110m_populated_places_simple.geojson", "ne_110m_rivers_lake_centerlines.geojson" })
        {
            var collection = JsonNode.Parse(File.ReadAllText(TestData.Path("naturalearth/" + file)))!;
            foreach (var feature in collection["features"]!.AsArray()) yield return feature!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
    }

    private static IEnumerable<string> WktGeometries()
    {
        foreach (var line in File.ReadLines(TestData.Path("formats/ne_110m_rivers_lake_centerlines.wkt.csv")).Skip(1))
        {
            var start = line.IndexOf("\"", StringComparison.Ordinal);
            var end = line.IndexOf("\"", start + 1, StringComparison.Ordinal);
            if (start >= 0 && end > start) yield return line[(start + 1)..end];
        }
    }
}
