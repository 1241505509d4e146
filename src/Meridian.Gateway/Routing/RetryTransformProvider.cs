using System.Globalization;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Meridian.Gateway.Routing;

/// <summary>
/// Hands a route's retry settings to <see cref="ResilienceHandler"/> on each outgoing request. Only idempotent
/// requests without a body get retries: a streamed body cannot be sent twice, and a POST must not be repeated.
/// </summary>
internal sealed class RetryTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var metadata = context.Route.Metadata;
        if (metadata is null) return;
        var attempts = metadata.TryGetValue(GatewayProxyConfigProvider.AttemptsKey, out var a) ? int.Parse(a, CultureInfo.InvariantCulture) : 1;
        TimeSpan? tryTimeout = metadata.TryGetValue(GatewayProxyConfigProvider.TryTimeoutKey, out var t) && t.Length > 0
            ? TimeSpan.ParseExact(t, "c", CultureInfo.InvariantCulture)
            : null;
        if (attempts <= 1 && tryTimeout is null) return;

        context.AddRequestTransform(transform =>
        {
            var method = transform.HttpContext.Request.Method;
            var retriable = transform.ProxyRequest.Content is null
                && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method));
            transform.ProxyRequest.Options.Set(RetryPolicy.Key, new RetryPolicy(retriable ? attempts : 1, tryTimeout));
            return ValueTask.CompletedTask;
        });
    }
}

/// <summary>How one outgoing request may be retried.</summary>
internal sealed record RetryPolicy(int Attempts, TimeSpan? TryTimeout)
{
    public static readonly HttpRequestOptionsKey<RetryPolicy> Key = new("Meridian.RetryPolicy");
}
