using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Meridian.Gateway.Routing;

/// <summary>
/// A route's MaxResponseBodyBytes: a backend answer declaring a larger length is replaced by a 502 problem before
/// any of it is sent; an answer without a declared length is counted as it streams, and the connection is cut
/// at the limit (its status is already sent), so a client never takes a truncated body for a whole one.
/// </summary>
internal sealed class ResponseBodyLimit(MeridianOptions options) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var route = context.Route.RouteId;
        if (!options.Gateway.Routes.TryGetValue(route, out var settings) || settings.MaxResponseBodyBytes is not { } limit) return;
        context.AddResponseTransform(async transform =>
        {
            if (transform.ProxyResponse is not { } answer) return;
            var response = transform.HttpContext.Response;
            if (answer.Content.Headers.ContentLength is { } length)
            {
                if (length <= limit) return;
                transform.SuppressResponseBody = true;
                foreach (var header in answer.Headers.Concat(answer.Content.Headers)) response.Headers.Remove(header.Key);
                await GatewayProblems.WriteAsync(transform.HttpContext, StatusCodes.Status502BadGateway, GatewayProblems.ResponseTooLarge, "Response too large",
                    $"The backend answered with {length} bytes, more than this route's limit of {limit} bytes (Meridian:Gateway:Routes:{route}:MaxResponseBodyBytes).");
                return;
            }
            response.Body = new LimitedStream(response.Body, limit, () =>
            {
                transform.HttpContext.Abort();
                return new IOException($"The backend's answer passed route '{route}''s limit of {limit} bytes; the connection was cut.");
            });
        });
    }
}
