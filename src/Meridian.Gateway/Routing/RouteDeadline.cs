using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Meridian.Gateway.Routing;

/// <summary>
/// A route's Timeout is enforced by ASP.NET Core's request timeouts, which cancel the request; YARP cannot tell
/// that from a client hanging up and answers 400. When the deadline is what cancelled it, the answer is a 504.
/// </summary>
internal static class RouteDeadline
{
    /// <summary>Requests without a deadline (no IHttpRequestTimeoutFeature) go straight on.</summary>
    public static Task InvokeAsync(HttpContext context, Func<Task> next) =>
        context.Features.Get<IHttpRequestTimeoutFeature>() is { } timeout ? WatchAsync(context, next, timeout) : next();

    private static async Task WatchAsync(HttpContext context, Func<Task> next, IHttpRequestTimeoutFeature timeout)
    {
        await next();
        if (!context.Response.HasStarted && timeout.RequestTimeoutToken.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }
}
