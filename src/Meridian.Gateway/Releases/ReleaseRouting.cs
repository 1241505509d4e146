using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;

namespace Meridian.Gateway.Releases;

/// <summary>
/// The first step of YARP's proxy pipeline for routes with a release: sends the candidate's share of requests to
/// the candidate cluster (YARP's ReassignProxyRequest, before load balancing picks a destination) and records
/// each answer in its group's metrics, which the canary analysis judges.
/// </summary>
internal sealed class ReleaseRouting(ReleaseController controller, IProxyStateLookup lookup)
{
    public Task InvokeAsync(HttpContext context, Func<Task> next) =>
        controller.For(context.GetReverseProxyFeature().Route.Config.RouteId) is { } release ? RouteAsync(context, next, release) : next();

    private async Task RouteAsync(HttpContext context, Func<Task> next, RouteRelease release)
    {
        var state = release.State;
        var candidate = false;
        if (release.PickCandidate(state) && lookup.TryGetCluster(state.Candidate, out var cluster))
        {
            context.ReassignProxyRequest(cluster);
            candidate = true;
        }
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await next();
            failed = context.Features.Get<IForwarderErrorFeature>() is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError;
        }
        finally
        {
            release.Record(state.Step, candidate, failed, Stopwatch.GetElapsedTime(started));
        }
    }
}
