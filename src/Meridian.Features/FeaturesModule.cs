using Meridian.Features.Api;
using Meridian.Features.Catalog;
using Meridian.Hosting;
using Meridian.Hosting.Modules;
using Meridian.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Meridian.Features;

/// <summary>The <c>features</c> role: OGC API - Features over the feature stores registered in the process.</summary>
public sealed class FeaturesModule : IModule
{
    public string Name => "features";

    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton<CollectionCatalog>();
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>, StoreHealthChecks>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapFeaturesApi();

    /// <summary>One readiness check per store, registered once the stores are known.</summary>
    private sealed class StoreHealthChecks(IEnumerable<IFeatureStore> stores) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options)
        {
            foreach (var store in stores)
                options.Registrations.Add(new HealthCheckRegistration(store.Name, new StoreHealthCheck(store), HealthStatus.Unhealthy, [ServiceDefaults.ReadyTag]));
        }
    }
}
