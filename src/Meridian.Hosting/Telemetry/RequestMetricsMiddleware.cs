using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Hosting.Telemetry;

/// <summary>Records every request under its route template, so that labels stay few whatever the URLs.</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, GeospatialMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        Task handled;
        try
        {
            handled = next(context);
        }
        catch
        {
            Record(context, started);
            throw;
        }
        // A request done synchronously (a cache hit often is) is recorded without an async step of its own.
        if (!handled.IsCompletedSuccessfully) return RecordWhenDoneAsync(handled, context, started);
        Record(context, started);
        return Task.CompletedTask;
    }

    private async Task RecordWhenDoneAsync(Task handled, HttpContext context, long started)
    {
        try
        {
            await handled;
        }
        finally
        {
            Record(context, started);
        }
    }

    private void Record(HttpContext context, long started)
    {
        var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        metrics.RecordRequest(context.Request.Method, endpoint, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
