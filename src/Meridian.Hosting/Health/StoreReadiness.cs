using Meridian.Messaging;
using Meridian.Storage.Caching;
using Meridian.Storage.Objects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Meridian.Hosting.Health;

/// <summary>
/// The stores beside the feature stores in the readiness of the roles that use them; each role's module asks for
/// those it uses, and registering twice registers once. A store a role cannot work without makes <c>/ready</c>
/// unhealthy (503: the pod leaves the load balancer); one it works around makes it degraded (still 200).
/// </summary>
public static class StoreReadiness
{
    /// <summary>
    /// The object store, for the roles that keep files there (uploads, workflow definitions and checkpoints,
    /// subscriptions, results): without it they can do nothing, so a missing bucket or unwritable directory must show
    /// in <c>/ready</c> rather than as failures of every upload. Unhealthy when it fails.
    /// </summary>
    public static IServiceCollection AddObjectStoreReadiness(this IServiceCollection services) => Add<ObjectStoreCheck>(services);

    /// <summary>
    /// The message bus, for the roles that use it (processes and ingest submit jobs on it, the worker takes them), when
    /// it is a broker of its own (RabbitMQ): the embedded bus is a file in the data directory, nothing to wait for.
    /// Degraded when it fails, not unhealthy: every submission is recorded in the job store first and workers sweep the
    /// store for jobs whose message never came, so jobs still run, only up to a minute later
    /// (<c>JobWorker.DeliveryGrace</c>); taking every pod out of the load balancer would stop that too.
    /// </summary>
    public static IServiceCollection AddMessageBusReadiness(this IServiceCollection services) => Add<MessageBusCheck>(services);

    /// <summary>
    /// The shared cache (Redis, <c>Cache:Redis</c>), when one is configured, for the roles that use it: those that
    /// serve collections through it (features, tiles) and those whose writes bump its versions (processes, worker).
    /// Degraded when it fails, never unhealthy: while it is away requests bypass it and are served from the stores,
    /// and the collection versions start a new epoch when it returns (nothing stale is served), only slower.
    /// </summary>
    public static IServiceCollection AddCacheReadiness(this IServiceCollection services) => Add<CacheCheck>(services);

    /// <summary>
    /// Runs the readiness checks once before the process serves, each store given <see cref="StoreHealthCheck.StartupPatience"/>
    /// instead of the probes' <see cref="StoreHealthCheck.Patience"/>.
    /// </summary>
    public static async Task<HealthReport> CheckAtStartupAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // Set in this method's own flow only: it ends with it, and the probes that come later are not affected.
        StoreHealthCheck.StartingUp.Value = true;
        return await services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(ServiceDefaults.ReadyTag), cancellationToken);
    }

    private static IServiceCollection Add<TCheck>(IServiceCollection services) where TCheck : class, IConfigureOptions<HealthCheckServiceOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, TCheck>());
        return services;
    }

    private sealed class ObjectStoreCheck(IObjectStore store) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options) => options.Registrations.Add(
            StoreHealthCheck.Registration(StoreHealthCheck.ObjectStore, store.Name, store.CheckHealthAsync));
    }

    private sealed class MessageBusCheck(IServiceProvider services) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options)
        {
            if (services.GetService<IMessageBus>() is IRemoteMessageBus bus)
                options.Registrations.Add(StoreHealthCheck.Registration(StoreHealthCheck.MessageBus, bus.Name, bus.CheckHealthAsync, HealthStatus.Degraded));
        }
    }

    private sealed class CacheCheck(IEnumerable<ISharedCache> caches) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options)
        {
            foreach (var cache in caches)
                options.Registrations.Add(StoreHealthCheck.Registration(StoreHealthCheck.Cache, cache.Name, cache.CheckHealthAsync, HealthStatus.Degraded));
        }
    }
}
