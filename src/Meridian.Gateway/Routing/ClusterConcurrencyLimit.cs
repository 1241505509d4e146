using System.Collections.Concurrent;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Meridian.Gateway.Routing;

/// <summary>
/// Caps the requests in flight to a cluster (MaxConcurrentRequests): past the cap the gateway answers 503 at once
/// rather than queueing work a struggling backend cannot take.
/// </summary>
internal sealed class ClusterConcurrencyLimit(MeridianOptions options)
{
    private readonly ConcurrentDictionary<string, StrongBox> _inFlight = new(StringComparer.Ordinal);

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var clusterId = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
        return options.Gateway.Clusters.TryGetValue(clusterId, out var cluster) && cluster.MaxConcurrentRequests is { } limit
            ? LimitAsync(context, next, clusterId, limit)
            : next();
    }

    private async Task LimitAsync(HttpContext context, Func<Task> next, string clusterId, int limit)
    {
        var counter = _inFlight.GetOrAdd(clusterId, _ => new StrongBox());
        try
        {
            if (Interlocked.Increment(ref counter.Value) > limit)
            {
                context.Response.Headers.RetryAfter = "1";
                await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Hosting.Problems.ProblemTypes.Unavailable,
                    "Service unavailable", $"The backend '{clusterId}' already has {limit} requests in flight; retry shortly.");
                return;
            }
            await next();
        }
        finally
        {
            Interlocked.Decrement(ref counter.Value);
        }
    }

    private sealed class StrongBox
    {
        public int Value;
    }
}
