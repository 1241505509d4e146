using System.Diagnostics;
using Meridian.Hosting.Analytics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Hosting.Telemetry;

/// <summary>
/// Records every request under its route template and a standard method, so that labels stay few whatever the requests:
/// in the metrics, and as an analytics event (when analytics are on, and unless another process answered it).
/// </summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, GeospatialMetrics metrics, AnalyticsEvents analytics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        // Routing has run (WebApplication puts it first). The exception handler forgets the endpoint and its route values
        // when it turns an exception into a problem: an error is still recorded under the route that raised it.
        var routed = new Routed(context.GetEndpoint() as RouteEndpoint, context.Request.RouteValues);
        Task handled;
        try
        {
            handled = next(context);
        }
        catch
        {
            Record(context, routed, started);
            throw;
        }
        // A request done synchronously (a cache hit often is) is recorded without an async step of its own.
        if (!handled.IsCompletedSuccessfully) return RecordWhenDoneAsync(handled, context, routed, started);
        Record(context, routed, started);
        return Task.CompletedTask;
    }

    private async Task RecordWhenDoneAsync(Task handled, HttpContext context, Routed routed, long started)
    {
        try
        {
            await handled;
        }
        finally
        {
            Record(context, routed, started);
        }
    }

    private readonly record struct Routed(RouteEndpoint? Endpoint, RouteValueDictionary Values);

    private void Record(HttpContext context, Routed routed, long started)
    {
        var endpoint = (context.GetEndpoint() as RouteEndpoint ?? routed.Endpoint)?.RoutePattern.RawText ?? "unmatched";
        var method = MethodLabel(context.Request.Method);
        var status = context.Response.StatusCode;
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordRequest(method, endpoint, status, elapsed.TotalSeconds);
        // A request the gateway forwarded is an event of the process that answered it (ForwardedRequests).
        if (analytics.Enabled && !ForwardedRequests.WasAnsweredUpstream(context))
            analytics.Record(RequestEvents.Create(context, routed.Values, method, endpoint, status, elapsed));
    }

    /// <summary>
    /// The method as a label: one of HTTP's standard methods, else "OTHER" (OpenTelemetry's conventions say _OTHER). The
    /// method is whatever the client sent, and each new value would be a new series (with a histogram's buckets).
    /// </summary>
    private static string MethodLabel(string method) => HttpMethods.GetCanonicalizedValue(method) switch
    {
        var m when HttpMethods.IsGet(m) || HttpMethods.IsHead(m) || HttpMethods.IsPost(m) || HttpMethods.IsPut(m) || HttpMethods.IsPatch(m)
            || HttpMethods.IsDelete(m) || HttpMethods.IsOptions(m) || HttpMethods.IsTrace(m) || HttpMethods.IsConnect(m) => m,
        _ => "OTHER",
    };
}
