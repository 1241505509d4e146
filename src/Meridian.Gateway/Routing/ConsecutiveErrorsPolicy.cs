using System.Collections.Concurrent;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Meridian.Gateway.Routing;

/// <summary>
/// Passive outlier ejection: a destination that fails EjectAfterErrors requests in a row (5xx answers or transport
/// errors) is taken out of rotation for EjectFor, unless that would eject more than MaxEjectedPercent of its cluster.
/// </summary>
internal sealed class ConsecutiveErrorsPolicy(IDestinationHealthUpdater updater, MeridianOptions options) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "ConsecutiveErrors";
    private readonly ConcurrentDictionary<DestinationState, int> _failures = new();

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var failed = context.Features.Get<IForwarderErrorFeature>() is not null || context.Response.StatusCode >= 500;
        if (!failed)
        {
            _failures.TryRemove(destination, out _);
            return;
        }
        if (!options.Gateway.Clusters.TryGetValue(cluster.ClusterId, out var settings)) return;
        var failures = _failures.AddOrUpdate(destination, 1, (_, n) => n + 1);
        if (failures < settings.EjectAfterErrors) return;

        var ejected = cluster.Destinations.Values.Count(d => d.Health.Passive == DestinationHealth.Unhealthy);
        if (ejected + 1 > cluster.Destinations.Count * settings.MaxEjectedPercent / 100) return;
        _failures.TryRemove(destination, out _);
        updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, settings.EjectFor);
    }
}
