using Meridian.Analytics.Api;
using Meridian.Analytics.Maintenance;
using Meridian.Analytics.Querying;
using Meridian.Analytics.Writing;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Health;
using Meridian.Hosting.Modules;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Analytics;

/// <summary>
/// The <c>analytics</c> role: the administrators' reports over the event lake (requests, jobs, ingests), read with DuckDB
/// from the Parquet files every process writes to the object store. The writing itself is not this role's: every
/// process writes its own events (<see cref="AnalyticsWriting"/>), whichever roles it runs.
/// </summary>
public sealed class AnalyticsModule : IModule
{
    public string Name => "analytics";

    public void AddServices(IServiceCollection services)
    {
        services.AddObjectStoreReadiness();
        services.AddAnalyticsLake();
        services.AddSingleton<DuckDbReports>();
        services.AddSingleton<ReportService>();
        services.AddHostedService<LakeMaintenance>();
    }

    /// <summary>The reports' OpenAPI paths, listed by every process of a deployment that runs this role (<c>Meridian:DeployedRoles</c>).</summary>
    public ApiContribution Contribution { get; } = new() { OpenApiPaths = AnalyticsOpenApi.Paths };

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapAnalyticsApi();
}

/// <summary>The lake as its readers and its upkeep see it: the role's, and the <c>meridian analytics</c> verbs'.</summary>
public static class AnalyticsLake
{
    /// <summary>Registers the file selection, the cache, the compactor and the retention over the registered object store and options.</summary>
    public static IServiceCollection AddAnalyticsLake(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<MeridianOptions>();
            return new LakeCache(options.Analytics.CacheDirectory ?? Path.Combine(options.Data, "analytics-cache"), options.Analytics.CacheBytes);
        });
        services.TryAddSingleton<EventFileCheck>();
        services.TryAddSingleton<LakeFiles>();
        services.TryAddSingleton<LakeCompactor>();
        services.TryAddSingleton<LakeRetention>();
        return services;
    }
}

/// <summary>Every process's part of analytics: the writer that drains its events to the lake.</summary>
public static class AnalyticsWriting
{
    /// <summary>Registers the writer when <c>Analytics:Enabled</c>; recording is then on in every part of the process.</summary>
    public static IServiceCollection AddAnalyticsWriting(this IServiceCollection services, MeridianOptions options)
    {
        if (!options.Analytics.Enabled) return services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AnalyticsWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsWriter>());
        return services;
    }
}
