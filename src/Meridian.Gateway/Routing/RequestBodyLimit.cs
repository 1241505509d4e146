using Meridian.Hosting.Configuration;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Gateway.Routing;

/// <summary>
/// A route's MaxRequestBodyBytes: a declared length beyond it is a 413 before anything reaches the backend; a
/// body without a declared length is counted as it streams (the WAF may have buffered its start already, so
/// Kestrel's own limit can no longer be set), and the failed forward becomes a 413 too (YARP alone would say 400).
/// </summary>
internal sealed class RequestBodyLimit(MeridianOptions options)
{
    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var route = context.GetReverseProxyFeature().Route.Config.RouteId;
        return options.Gateway.Routes.TryGetValue(route, out var settings) && settings.MaxRequestBodyBytes is { } limit
            ? LimitAsync(context, next, route, limit)
            : next();
    }

    private static async Task LimitAsync(HttpContext context, Func<Task> next, string route, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, route, limit);
            return;
        }
        context.Request.Body = new LimitedStream(context.Request.Body, limit, () => new BadHttpRequestException("Request body too large", StatusCodes.Status413PayloadTooLarge));
        await next();
        var error = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (!context.Response.HasStarted && error is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            await TooLargeAsync(context, route, limit);
    }

    private static Task TooLargeAsync(HttpContext context, string route, long limit) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large",
            $"The request body is larger than this route's limit of {limit} bytes (Meridian:Gateway:Routes:{route}:MaxRequestBodyBytes).");
}
