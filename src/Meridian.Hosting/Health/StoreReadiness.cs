using Meridian.Storage.Objects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Meridian.Hosting.Health;

/// <summary>
/// The object store in the readiness of the roles that keep files there (uploads, workflow definitions and checkpoints,
/// subscriptions, results): without it they can do nothing, so a missing bucket or unwritable directory must show in
/// <c>/ready</c> rather than as failures of every upload. Registering twice registers once.
/// </summary>
public static class ObjectStoreReadiness
{
    public static IServiceCollection AddObjectStoreReadiness(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, ObjectStoreHealthCheck>());
        return services;
    }

    private sealed class ObjectStoreHealthCheck(IObjectStore store) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options) => options.Registrations.Add(
            StoreHealthCheck.Registration(StoreHealthCheck.ObjectStore, store.Name, store.CheckHealthAsync));
    }
}
