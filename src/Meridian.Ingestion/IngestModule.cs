using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Health;
using Meridian.Hosting.Modules;
using Meridian.Hosting.Security;
using Meridian.Ingestion.Api;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Jobs;
using Meridian.Ingestion.Processes;
using Meridian.Processing.Processes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Ingestion;

/// <summary>
/// The <c>ingest</c> role: uploads into the object store's raw zone and ingest requests that become jobs. The
/// jobs themselves run in the <c>worker</c> role (the same process by default).
/// </summary>
public sealed class IngestModule : IModule
{
    public string Name => "ingest";

    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<WriteAccess>();
        services.AddIngestLimits();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<AbandonedUploadSweeper>();
        services.AddObjectStoreReadiness();
        services.AddMessageBusReadiness();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapIngestApi();
}

/// <summary>
/// How large one upload request may be (a whole file, or one part of an upload in parts), and how far an archive
/// may unpack, from the <c>Ingest</c> settings.
/// </summary>
public sealed record IngestLimits(long MaxUploadBytes, long MaxUnpackedBytes, int MaxCompressionRatio)
{
    public static IngestLimits From(IngestOptions options) => new(options.MaxUploadBytes, options.MaxUnpackedBytes, options.MaxCompressionRatio);

    /// <summary>Reading options that hold archives to these limits, unpacking them under <paramref name="workDirectory"/>.</summary>
    public SourceOptions Source(string? workDirectory = null) =>
        new() { MaxUnpackedBytes = MaxUnpackedBytes, MaxCompressionRatio = MaxCompressionRatio, WorkDirectory = workDirectory };
}

public static class IngestLimitsRegistration
{
    /// <summary>Registers <see cref="IngestLimits"/> from the settings; both the ingest and worker roles need them.</summary>
    public static IServiceCollection AddIngestLimits(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => IngestLimits.From(sp.GetRequiredService<MeridianOptions>().Ingest));
        return services;
    }

    /// <summary>Ingest as a process (<see cref="IngestProcess"/>) for every role: processes list it, workflows start with it.</summary>
    public static IServiceCollection AddIngestProcess(this IServiceCollection services)
    {
        services.AddIngestLimits();
        services.AddCollectionCatalog();
        services.TryAddSingleton<IngestJobHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProcess, IngestProcess>());
        return services;
    }
}
