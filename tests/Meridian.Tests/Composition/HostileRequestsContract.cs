using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Tests.Features;

namespace Meridian.Tests.Composition;

/// <summary>
/// A corpus of hostile and malformed requests against every public route of a real server over one store: none
/// may get a 5xx, every 4xx is an application/problem+json naming the fault, and none changes the data. (What
/// Kestrel itself rejects before Meridian sees it, such as a request line over 8 KiB or a NUL in the path, is
/// answered by Kestrel with an empty 400 or 414 and is left out.)
/// </summary>
public abstract class HostileRequestsContract(TransactionsServer server)
{
    private const string Collection = "hostile";

    private static readonly string[] Values =
    [
        "1e309", "-0", "9223372036854775808", "-9223372036854775809", "NaN", "Infinity", "-Infinity", "", "%00", "%C0%AF", "%FF",
        "%0A%0D", "%E2%80%AE", "%2e%2e%2F%2e%2e%2F", "[", "{", "'", "%22", "1,2,3", "0x10", "1e-400", new string('a', 6000),
    ];

    private static readonly string[] Parameters =
    [
        "limit", "bbox", "bbox-crs", "crs", "datetime", "cursor", "filter", "filter-lang", "filter-crs", "sortby", "properties", "f", "name",
        "n", "collections",
    ];

    private static readonly string[] ReadRoutes =
    [
        "", "conformance", "api", "collections", $"collections/{Collection}", $"collections/{Collection}/queryables",
        $"collections/{Collection}/schema", $"collections/{Collection}/items", $"collections/{Collection}/items/1", "tileMatrixSets",
        "tileMatrixSets/WebMercatorQuad", $"collections/{Collection}/tiles", $"collections/{Collection}/tiles/WebMercatorQuad",
        $"collections/{Collection}/tiles/WebMercatorQuad/0/0/0", "tiles", "tiles/WebMercatorQuad", "tiles/WebMercatorQuad/0/0/0",
        "processes", "processes/buffer", "jobs", "jobs/x", "jobs/x/results", "workflows", "workflows/x", "subscriptions", "subscriptions/x",
        "health", "ready", "metrics",
    ];

    private static readonly string[] Filters =
    [
        new string('(', 2000) + "n=1" + new string(')', 2000), string.Concat(Enumerable.Repeat("NOT ", 1500)) + "n=1",
        "name LIKE '" + string.Concat(Enumerable.Repeat("%_", 1500)) + "'", "n > 1e309", "n > 9223372036854775808", "n / 0 > 1", "n ^ 1e308 > 1",
        "S_INTERSECTS(geom,POLYGON((0 0,1 1,0 0)))", "S_INTERSECTS(geom,POINT(1e309 0))", "S_INTERSECTS(geom,BBOX(1,2,3))",
        "T_AFTER(name,TIMESTAMP('9999-99-99T99:99:99Z'))", "CASEI(name) = casei('\0')", "foo(bar)", "name = 'unterminated",
    ];

    private static readonly string[] Bodies =
    [
        "", "{", "[", "null", "1e309", "\"x\"", "[]", new string('[', 10_000) + new string(']', 10_000),
        string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000), "[" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "]",
        """{"type":1,"geometry":"x","properties":[]}""", """{"type":"Feature","geometry":{"type":"Point","coordinates":[1e309,0]},"properties":{}}""",
        """{"type":"Feature","geometry":{"type":"Point","coordinates":["a",{}]},"properties":{}}""",
        """{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0]]]},"properties":{}}""",
        """{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"name":{"a":1},"n":9223372036854775808}}""",
        """{"id":"","properties":{"a":{"type":"integer"}}}""", """{"id":"a/b"}""", """{"id":"x","properties":{"a":{"type":"string","maxLength":1e309}}}""",
        """{"inputs":{"distance":1e309}}""", """{"url":"file:///x","topics":[1]}""",
        """{"Name":"w","StartAt":"a","States":{"a":{"Type":"Wait","Seconds":1e309}}}""",
        "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.geojson\"\r\n\r\n{",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/geo+json", "application/merge-patch+json", "text/plain", "foo/bar", "multipart/form-data; boundary=x",
    ];

    private static readonly (string Method, string Route)[] WriteRoutes =
    [
        ("POST", "collections"), ("POST", $"collections/{Collection}/items"), ("PUT", $"collections/{Collection}/items/1"),
        ("PATCH", $"collections/{Collection}/items/1"), ("PUT", $"collections/{Collection}/items/99999999999999999999"),
        ("POST", "processes/buffer/execution"), ("POST", "subscriptions"), ("POST", "workflows"), ("POST", "workflows/x/executions"),
        ("POST", "ingest"), ("POST", "uploads?name=a"),
    ];

    private readonly List<string> _failures = [];

    [Fact]
    public async Task Hostile_requests_get_4xx_problems_and_change_nothing()
    {
        var before = await CreateCollectionAsync();

        foreach (var route in ReadRoutes)
        {
            var separator = route.Contains('?') ? '&' : '?';
            foreach (var parameter in Parameters)
            foreach (var value in Values)
                await SendAsync(HttpMethod.Get, $"{route}{separator}{parameter}={value}");
            await SendAsync(HttpMethod.Get, $"{route}{separator}limit=1&limit=2");
            await SendAsync(HttpMethod.Get, $"{route}{separator}%FF=1&&&=");
            foreach (var value in Values.Where(v => v.Length < 100)) await SendAsync(HttpMethod.Get, $"{route}/{value}");
            foreach (var (name, value) in HostileHeaders) await SendAsync(HttpMethod.Get, route, headers: (name, value));
            foreach (var method in new[] { "PUT", "PATCH", "OPTIONS", "TRACE", "FOO" }) await SendAsync(new HttpMethod(method), route);
            await SendAsync(HttpMethod.Get, route, "{\"a\":1}", "application/json");
        }
        foreach (var filter in Filters)
        {
            await SendAsync(HttpMethod.Get, $"collections/{Collection}/items?filter={Uri.EscapeDataString(filter)}");
        }
        foreach (var (method, route) in WriteRoutes)
        foreach (var body in Bodies)
        foreach (var contentType in ContentTypes)
            await SendAsync(new HttpMethod(method), route, body, contentType);

        Assert.True(_failures.Count == 0, string.Join("\n", _failures));
        Assert.Equal(before, await FeatureAsync());
    }

    private static readonly (string Name, string Value)[] HostileHeaders =
    [
        ("Accept", "foo/bar"), ("Accept", "*/*;q=NaN"), ("Accept", "text/html;q=1e309"), ("Accept", string.Concat(Enumerable.Repeat(",", 4000))),
        ("Range", "bytes=9999999999999999999-"), ("If-None-Match", "W/"), ("If-None-Match", "garbage"), ("If-Match", "garbage"),
        ("If-Modified-Since", "garbage"), ("Accept-Encoding", "br;q=NaN, gzip;q=-1"), ("Last-Event-ID", new string('9', 40)),
        ("Prefer", "respond-async;;;"), ("X-Forwarded-Host", "a b"), ("X-Forwarded-Proto", "javascript"), ("Forwarded", "for=\"[::1"),
    ];

    /// <summary>The collection the corpus aims at, with one feature; returns that feature as it was stored.</summary>
    private async Task<string> CreateCollectionAsync()
    {
        using var create = TransactionsServer.Request(HttpMethod.Post, "collections",
            """{"id":"hostile","geometryType":"Point","properties":{"name":{"type":"string","maxLength":20},"n":{"type":"integer"}}}""", "application/json");
        Assert.Equal(HttpStatusCode.Created, (await server.Client.SendAsync(create)).StatusCode);
        using var add = TransactionsServer.Request(HttpMethod.Post, $"collections/{Collection}/items",
            """{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":"one","n":1}}""");
        Assert.Equal(HttpStatusCode.Created, (await server.Client.SendAsync(add)).StatusCode);
        return await FeatureAsync();
    }

    private async Task<string> FeatureAsync()
    {
        var page = JsonNode.Parse(await server.Client.GetStringAsync($"collections/{Collection}/items?limit=100"))!;
        return page["features"]!.ToJsonString();
    }

    private async Task SendAsync(HttpMethod method, string url, string? body = null, string? contentType = null, params (string Name, string Value)[] headers)
    {
        // The URL is sent as written: percent-encodings stay as they are, invalid ones included.
        using var request = TransactionsServer.Request(method, url, headers: headers);
        request.RequestUri = new Uri(server.Client.BaseAddress!, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        var kestrelRejected = status is 400 or 414 && text.Length == 0;
        if (status >= 500 || status >= 400 && !kestrelRejected && method != HttpMethod.Head && type != "application/problem+json")
        {
            _failures.Add($"{method} {url[..Math.Min(url.Length, 200)]} ({contentType}, {string.Join(", ", headers)}): {status} {type} {text[..Math.Min(text.Length, 300)]}");
        }
    }
}

public sealed class EmbeddedHostileRequestsTests(EmbeddedTransactionsServer server)
    : HostileRequestsContract(server), IClassFixture<EmbeddedTransactionsServer>;

public sealed class PostGisHostileRequestsTests(PostGisTransactionsServer server)
    : HostileRequestsContract(server), IClassFixture<PostGisTransactionsServer>;
