using System.Net;
using System.Text.Json.Nodes;
using Meridian.Gateway.Tests.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Tests.Routing;

/// <summary>A route's request and response body limits, in front of a real backend on loopback.</summary>
public sealed class BodyLimitTests : IAsyncLifetime
{
    private LoopbackApp _backend = null!;
    private MeridianTestHost _gateway = null!;
    private int _bodiesReceived;

    public async Task InitializeAsync()
    {
        // /bytes/N answers N bytes, with their length declared unless ?chunked; POST /upload reads the body.
        _backend = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/bytes/{n:int}", async (int n, HttpContext context) =>
            {
                if (!context.Request.Query.ContainsKey("chunked")) context.Response.ContentLength = n;
                context.Response.ContentType = "application/octet-stream";
                for (var sent = 0; sent < n; sent += 100)
                {
                    await context.Response.Body.WriteAsync(new byte[Math.Min(100, n - sent)]);
                    await context.Response.Body.FlushAsync();
                }
            });
            app.MapPost("/upload", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref _bodiesReceived);
                return Results.Ok();
            });
        });
        _gateway = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Roles:0"] = "gateway",
            ["Gateway:Routes:all:Cluster"] = "c",
            ["Gateway:Routes:all:MaxRequestBodyBytes"] = "1000",
            ["Gateway:Routes:all:MaxResponseBodyBytes"] = "1000",
            ["Gateway:Clusters:c:Destinations:0"] = _backend.Address,
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Theory]
    [InlineData("/bytes/1000")]
    [InlineData("/bytes/1000?chunked")]
    public async Task ResponseWithinTheLimit_PassesWhole(string path)
    {
        var body = await _gateway.Client.GetByteArrayAsync(path);

        Assert.Equal(1000, body.Length);
    }

    [Fact]
    public async Task DeclaredResponseOverTheLimit_Is502Problem()
    {
        var response = await _gateway.Client.GetAsync("/bytes/1001");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:meridian:problem:response-too-large", (string?)problem["type"]);
        Assert.Contains("MaxResponseBodyBytes", (string?)problem["detail"]);
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    [Fact]
    public async Task StreamedResponseOverTheLimit_IsCut()
    {
        // The status went out with the first bytes; what remains is never to pass a truncated body off as whole.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _gateway.Client.GetByteArrayAsync("/bytes/5000?chunked"));
    }

    [Fact]
    public async Task DeclaredRequestOverTheLimit_Is413Problem_NothingForwarded()
    {
        var response = await _gateway.Client.PostAsync("/upload", new StringContent(new string('a', 1001)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("urn:meridian:problem:payload-too-large", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _bodiesReceived);
    }

    [Fact]
    public async Task StreamedRequestOverTheLimit_Is413Problem()
    {
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(new string('a', 5000))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("urn:meridian:problem:payload-too-large", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RequestWithinTheLimit_IsForwarded()
    {
        var response = await _gateway.Client.PostAsync("/upload", new StringContent(new string('a', 1000)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _bodiesReceived);
    }
}
