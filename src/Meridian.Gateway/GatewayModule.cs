using Meridian.Gateway.Releases;
using Meridian.Gateway.Routing;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Meridian.Gateway;

/// <summary>
/// The <c>gateway</c> role: YARP proxying Meridian:Gateway:Routes to their clusters (canary and blue/green releases, least-requests balancing,
/// active and passive health checks, per-route timeouts and retries, per-cluster concurrency caps). The policies
/// in front (WAF, authentication, rate limits) are the same <see cref="GatewayPolicies"/> every process runs.
/// </summary>
public sealed class GatewayModule : IModule
{
    public string Name => "gateway";

    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IProxyConfigProvider, GatewayProxyConfigProvider>();
        services.AddSingleton<IPassiveHealthCheckPolicy, ConsecutiveErrorsPolicy>();
        services.AddSingleton<IForwarderHttpClientFactory>(sp =>
            new ResilientForwarderHttpClientFactory(sp.GetRequiredService<MeridianOptions>().Telemetry.OtlpEndpoint is not null));
        services.AddSingleton<ClusterConcurrencyLimit>();
        GatewayStore.AddReadiness(services);
        services.AddSingleton<IReleaseStore>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis ? new RedisReleaseStore(redis) : new MemoryReleaseStore());
        services.AddSingleton(sp => new ReleaseController(
            sp.GetRequiredService<MeridianOptions>(), sp.GetRequiredService<IReleaseStore>(), TimeProvider.System, sp.GetRequiredService<ILogger<ReleaseController>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ReleaseController>());
        services.AddSingleton<ReleaseRouting>();
        services.AddSingleton<RequestBodyLimit>();
        services.AddReverseProxy().AddTransforms<RetryTransformProvider>().AddTransforms<ResponseBodyLimit>();
        DeferDataProtectionKeyRing(services);
        // YARP logs two Information lines per proxied request; the request metrics and traces already say it.
        services.AddLogging(logging => logging.AddFilter("Yarp", LogLevel.Warning));
    }

    /// <summary>
    /// YARP brings ASP.NET Core data protection along (it protects session-affinity cookies), and with it a hosted
    /// service that loads the key ring at every start: XML and crypto work, a few MB, and on a first start a key
    /// written unencrypted to ~/.aspnet (a warning, or a failure, on a read-only home). Without the service the ring
    /// is made the first time something protects a value: only a cluster with cookie affinity ever does.
    /// </summary>
    private static void DeferDataProtectionKeyRing(IServiceCollection services)
    {
        const string KeyRingLoader = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";
        if (services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == KeyRingLoader) is { } loader)
            services.Remove(loader);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var limit = endpoints.ServiceProvider.GetRequiredService<ClusterConcurrencyLimit>();
        var releases = endpoints.ServiceProvider.GetRequiredService<ReleaseRouting>();
        var requestBodyLimit = endpoints.ServiceProvider.GetRequiredService<RequestBodyLimit>();
        ReleaseEndpoints.Map(endpoints);
        endpoints.MapReverseProxy(proxy =>
        {
            // First: a release may send the request to another cluster, whose limits and destinations then apply.
            proxy.Use((context, next) => releases.InvokeAsync(context, next));
            proxy.Use((context, next) => requestBodyLimit.InvokeAsync(context, next));
            proxy.Use(RouteDeadline.InvokeAsync);
            proxy.Use((context, next) => limit.InvokeAsync(context, next));
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
            // Last, so that its next step is the forwarder itself: a request that got here and drew no forwarding error
            // was answered by its destination, which records it in analytics. An error the gateway answers (502, 504) is its own.
            proxy.Use(async (context, next) =>
            {
                await next();
                if (context.Features.Get<IForwarderErrorFeature>() is null) ForwardedRequests.MarkAnsweredUpstream(context);
            });
        });
    }
}
