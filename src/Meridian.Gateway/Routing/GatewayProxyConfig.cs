using System.Net;
using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;

namespace Meridian.Gateway.Routing;

/// <summary>
/// YARP's configuration, built from Meridian:Gateway:Routes and :Clusters (typed and validated with the rest of
/// the options tree) rather than from a second configuration section of YARP's own shape.
/// </summary>
internal sealed class GatewayProxyConfigProvider(MeridianOptions options) : IProxyConfigProvider
{
    public const string AttemptsKey = "Meridian.Attempts";
    public const string TryTimeoutKey = "Meridian.TryTimeout";

    /// <summary>
    /// For clusters of plain-HTTP destinations. YARP asks for HTTP/2 or lower by default, which over cleartext is
    /// always HTTP/1.1 (no h2c without prior knowledge); saying so skips the version negotiation on every request.
    /// </summary>
    private static readonly ForwarderRequestConfig Http11 = new() { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

    private readonly IProxyConfig _config = Build(options.Gateway);

    public IProxyConfig GetConfig() => _config;

    private static StaticProxyConfig Build(GatewayOptions gateway)
    {
        var routes = gateway.Routes.Select(r => new RouteConfig
        {
            RouteId = r.Key,
            ClusterId = r.Value.Cluster,
            Order = r.Value.Order,
            Timeout = r.Value.Timeout,
            Match = new RouteMatch
            {
                Path = r.Value.PathPrefix is { } prefix ? prefix.TrimEnd('/') + "/{**rest}" : "/{**rest}",
                Hosts = r.Value.Hosts.Count > 0 ? r.Value.Hosts : null,
            },
            Metadata = new Dictionary<string, string>
            {
                [AttemptsKey] = r.Value.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [TryTimeoutKey] = r.Value.TryTimeout?.ToString("c") ?? "",
            },
        }).ToList();

        var clusters = gateway.Clusters.Select(c => new ClusterConfig
        {
            ClusterId = c.Key,
            LoadBalancingPolicy = LoadBalancingPolicies.LeastRequests,
            Destinations = c.Value.Destinations.Select((address, i) => (address, i))
                .ToDictionary(d => $"{c.Key}-{d.i}", d => new DestinationConfig { Address = d.address }),
            HealthCheck = new HealthCheckConfig
            {
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = ConsecutiveErrorsPolicy.PolicyName, ReactivationPeriod = c.Value.EjectFor },
                Active = c.Value.HealthPath is { } path
                    ? new ActiveHealthCheckConfig
                    {
                        Enabled = true, Path = path, Interval = c.Value.HealthInterval, Timeout = c.Value.HealthInterval,
                        Policy = "ConsecutiveFailures",
                    }
                    : null,
            },
            HttpClient = new HttpClientConfig { MaxConnectionsPerServer = c.Value.MaxConnectionsPerDestination },
            HttpRequest = c.Value.Destinations.All(d => d.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ? Http11 : null,
        }).ToList();
        return new StaticProxyConfig(routes, clusters);
    }

    private sealed class StaticProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
