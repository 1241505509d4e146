using Meridian.Features.Api;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Features;

/// <summary>The <c>features</c> role: OGC API - Features over the feature stores registered in the process.</summary>
public sealed class FeaturesModule : IModule
{
    public string Name => "features";

    public void AddServices(IServiceCollection services) => services.AddCollectionCatalog();

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapFeaturesApi();
}
