using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Meridian.Gateway.Routing;

/// <summary>
/// A route's Timeout is enforced by ASP.NET Core's request timeouts, which cancel the request; YARP cannot tell
/// that from a client hanging up and answers 400. When the deadline is what cancelled it, the answer is a 504.
/// </summary>
internal static class RouteDeadline
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (!context.Response.HasStarted && context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true)
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }
}
