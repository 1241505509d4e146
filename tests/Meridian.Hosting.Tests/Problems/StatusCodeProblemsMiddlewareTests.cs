using System.Text.Json;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Hosting.Tests.Problems;

public sealed class StatusCodeProblemsMiddlewareTests
{
    private static DefaultHttpContext Context(Endpoint? endpoint = null)
    {
        var context = new DefaultHttpContext { Request = { Method = "GET", Path = "/nowhere" } };
        context.Response.Body = new MemoryStream();
        context.SetEndpoint(endpoint);
        return context;
    }

    private static async Task<string> RunAsync(HttpContext context, RequestDelegate next)
    {
        await new StatusCodeProblemsMiddleware(next).InvokeAsync(context);
        return System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }

    private static Endpoint Endpoint(params object[] metadata) => new(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "test");

    [Theory]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(503)]
    public async Task ABodilessError_GetsAProblem(int status)
    {
        var context = Context();

        var body = await RunAsync(context, c => { c.Response.StatusCode = status; return Task.CompletedTask; });

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal(status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/nowhere", JsonDocument.Parse(body).RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task AnErrorFinishedLater_GetsAProblemToo()
    {
        var context = Context();

        var body = await RunAsync(context, async c => { await Task.Yield(); c.Response.StatusCode = 404; });

        Assert.Equal(404, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(200)]
    [InlineData(304)]
    [InlineData(399)]
    [InlineData(600)]
    public async Task NotAnError_IsLeftAsItIs(int status)
    {
        var context = Context();

        Assert.Empty(await RunAsync(context, c => { c.Response.StatusCode = status; return Task.CompletedTask; }));
        Assert.Null(context.Response.ContentType);
    }

    [Fact]
    public async Task AnErrorWithABodyOrItsType_IsLeftAsItIs()
    {
        var typed = Context();
        var sized = Context();

        Assert.Empty(await RunAsync(typed, c => { c.Response.StatusCode = 404; c.Response.ContentType = "text/plain"; return Task.CompletedTask; }));
        Assert.Empty(await RunAsync(sized, c => { c.Response.StatusCode = 404; c.Response.ContentLength = 0; return Task.CompletedTask; }));
    }

    [Fact]
    public async Task TheFeatureSwitchedOff_LeavesTheErrorBodiless()
    {
        var context = Context();

        var body = await RunAsync(context, c =>
        {
            c.Features.Get<IStatusCodePagesFeature>()!.Enabled = false;
            c.Response.StatusCode = 404;
            return Task.CompletedTask;
        });

        Assert.Empty(body);
    }

    [Fact]
    public async Task AnEndpointThatSkipsStatusCodePages_IsLeftBodiless_AlsoWhenItIsChosenInside()
    {
        var known = Context(Endpoint(new SkipStatusCodePagesAttribute()));
        var later = Context();

        Assert.Empty(await RunAsync(known, c => { c.Response.StatusCode = 404; return Task.CompletedTask; }));
        Assert.Empty(await RunAsync(later, c =>
        {
            c.SetEndpoint(Endpoint(new SkipStatusCodePagesAttribute()));
            c.Response.StatusCode = 404;
            return Task.CompletedTask;
        }));
    }
}
