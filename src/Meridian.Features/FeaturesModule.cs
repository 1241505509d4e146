using Meridian.Storage;
using Meridian.Storage.Caching;
using Meridian.Features.Api;
using Meridian.Features.Api.Transactions;
using Meridian.Hosting.Health;
using Meridian.Hosting.Security;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Features;

/// <summary>The <c>features</c> role: OGC API - Features over the feature stores registered in the process.</summary>
public sealed class FeaturesModule : IModule
{
    public string Name => "features";

    public ApiContribution Contribution => TransactionsApi.Contribution;

    public void AddServices(IServiceCollection services)
    {
        services.AddCollectionCatalog();
        services.AddCacheReadiness();
        services.TryAddSingleton<ICollectionVersions, InMemoryCollectionVersions>();
        services.TryAddSingleton<WriteAccess>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapFeaturesApi().MapTransactionsApi();
}
