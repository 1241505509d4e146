using Meridian.Hosting.Health;
using Meridian.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// The collection catalog and the readiness of its stores, for every role that serves collections (features,
/// tiles). Registering twice registers once, so roles need not know about each other.
/// </summary>
public static class CatalogServices
{
    public static IServiceCollection AddCollectionCatalog(this IServiceCollection services)
    {
        services.TryAddSingleton<CollectionCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, StoreHealthChecks>());
        return services;
    }

    /// <summary>
    /// One readiness check per store, registered once the stores are known: "feature-store", then "feature-store-2" and
    /// on, in the catalog's order of precedence.
    /// </summary>
    private sealed class StoreHealthChecks(IEnumerable<IFeatureStore> stores) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options)
        {
            var number = 0;
            foreach (var store in stores)
            {
                var name = ++number == 1 ? StoreHealthCheck.FeatureStore : $"{StoreHealthCheck.FeatureStore}-{number}";
                options.Registrations.Add(StoreHealthCheck.Registration(name, store.Name, store.CheckHealthAsync));
            }
        }
    }
}
