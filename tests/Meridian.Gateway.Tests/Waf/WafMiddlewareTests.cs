using System.Net;
using Meridian.Gateway.Tests.Composition;

namespace Meridian.Gateway.Tests.Waf;

public sealed class WafMiddlewareTests
{
    private const string ItemsOfMissingCollection = "/collections/nowhere/items";

    [Fact]
    public async Task Attack_IsA403ProblemWithAStableType()
    {
        await using var host = await MeridianTestHost.StartAsync();

        var response = await host.Client.GetAsync(ItemsOfMissingCollection + "?name=" + Uri.EscapeDataString("' OR 1=1--"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("urn:meridian:problem:request-blocked", body);
        Assert.Contains("sqli-", body);
        Assert.DoesNotContain("1=1", body);
    }

    [Theory]
    [InlineData("name LIKE 'Ber%' AND pop > 1000")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((7 50, 10 50, 10 53, 7 53, 7 50)))")]
    [InlineData("{\"op\":\"like\",\"args\":[{\"property\":\"name\"},\"Smith%\"]}")]
    public async Task Cql2Filter_PassesTheWafToTheEndpoint(string filter)
    {
        await using var host = await MeridianTestHost.StartAsync();

        var response = await host.Client.GetAsync(ItemsOfMissingCollection + "?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // The WAF reads JSON string by string; a string that is no text (invalid UTF-8, a lone surrogate escape) must not
    // crash it: the body is inspected as text instead (an attack beside it is still seen), and the endpoint says what
    // is wrong with it.
    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 }, false)]
    [InlineData(new byte[] { 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30 }, false)]
    [InlineData(new byte[] { 0xC3, 0x28 }, true)]
    [InlineData(new byte[] { 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30 }, true)]
    public async Task A_json_string_that_is_no_text_is_a_400_or_a_block_not_a_500(byte[] text, bool withAttack)
    {
        const string Key = "waf-test-write-key-0123456789";
        await using var host = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Security:ApiKeys:0"] = Key });
        var body = new List<byte>("{\"id\":\"x\",\"geometryType\":\"Point\",\"title\":\""u8.ToArray());
        body.AddRange(text);
        body.AddRange(withAttack ? "\",\"description\":\"<script>alert(1)</script>\"}"u8.ToArray() : "\"}"u8.ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/collections") { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-API-Key", Key);

        var response = await host.Client.SendAsync(request);

        Assert.Equal(withAttack ? HttpStatusCode.Forbidden : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/collections/x")).StatusCode);
    }

    [Fact]
    public async Task DetectOnly_LetsTheAttackThrough()
    {
        await using var host = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Waf:Mode"] = "DetectOnly" });

        var response = await host.Client.GetAsync(ItemsOfMissingCollection + "?name=" + Uri.EscapeDataString("<script>alert(1)</script>"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Exclusion_AppliesToItsPathAndTargetOnly()
    {
        await using var host = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Waf:Exclusions:0:PathPrefix"] = "/collections/nowhere",
            ["Gateway:Waf:Exclusions:0:Rules:0"] = "xss",
            ["Gateway:Waf:Exclusions:0:Targets:0"] = "query:description",
        });
        var payload = Uri.EscapeDataString("<script>alert(1)</script>");

        var excluded = await host.Client.GetAsync($"{ItemsOfMissingCollection}?description={payload}");
        var otherParameter = await host.Client.GetAsync($"{ItemsOfMissingCollection}?name={payload}");
        var otherPath = await host.Client.GetAsync($"/collections/elsewhere/items?description={payload}");

        Assert.Equal(HttpStatusCode.NotFound, excluded.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherParameter.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherPath.StatusCode);
    }

    [Fact]
    public async Task TraceMethod_IsBlocked()
    {
        await using var host = await MeridianTestHost.StartAsync();

        var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod("TRACE"), "/collections"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("POST /collections HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")]
    [InlineData("POST /collections HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde")]
    [InlineData("POST /collections HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n")]
    [InlineData("GET /collections HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    public async Task SmugglingShapes_AreRefused(string request)
    {
        await using var host = await MeridianTestHost.StartAsync();

        var status = await RawHttp.SendAsync(host.Address, request);

        // Kestrel refuses some shapes itself (400); the WAF refuses what Kestrel lets through (403).
        Assert.Contains(status, new[] { 400, 403 });
    }

    // A chunk size past 64 bits makes Kestrel's body reader throw an IOException (not its BadHttpRequestException):
    // the client's malformed request, a 400, whether the WAF or the endpoint reads the body first.
    [Theory]
    [InlineData("Block")]
    [InlineData("Off")]
    public async Task An_overflowing_chunk_size_is_a_400(string waf)
    {
        const string Key = "waf-test-write-key-0123456789";
        await using var host = await MeridianTestHost.StartAsync(new Dictionary<string, string?> { ["Security:ApiKeys:0"] = Key, ["Gateway:Waf:Mode"] = waf });

        var status = await RawHttp.SendAsync(host.Address, "POST /collections HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
            + $"Content-Type: application/json\r\nX-API-Key: {Key}\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n{{\r\n0\r\n\r\n");

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task EveryResponse_CarriesARequestIdAndSecurityHeaders()
    {
        await using var host = await MeridianTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections");
        request.Headers.Add("X-Request-Id", "abc-123");

        var response = await host.Client.SendAsync(request);
        var generated = await host.Client.GetAsync("/collections");

        Assert.Equal("abc-123", response.Headers.GetValues("X-Request-Id").Single());
        Assert.False(string.IsNullOrEmpty(generated.Headers.GetValues("X-Request-Id").Single()));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    // Problems raised as exceptions go through ASP.NET Core's exception handler, which clears the response's headers
    // before writing the problem: the id must survive that, since an error is what a caller quotes it for.
    [Theory]
    [InlineData("GET", "/collections/none/items")]
    [InlineData("POST", "/collections")]
    public async Task A_problem_carries_the_request_id(string method, string path)
    {
        await using var host = await MeridianTestHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Request-Id", "abc-124");

        var response = await host.Client.SendAsync(request);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("abc-124", response.Headers.GetValues("X-Request-Id").Single());
    }
}
