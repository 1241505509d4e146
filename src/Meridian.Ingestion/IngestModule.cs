using Meridian.Hosting.Configuration;
using Meridian.Hosting.Modules;
using Meridian.Hosting.Security;
using Meridian.Ingestion.Api;
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
        services.TryAddSingleton(sp => new IngestLimits(sp.GetRequiredService<MeridianOptions>().Ingest.MaxUploadBytes));
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapIngestApi();
}

/// <summary>How large one upload request may be (a whole file, or one part of an upload in parts).</summary>
public sealed record IngestLimits(long MaxUploadBytes);
