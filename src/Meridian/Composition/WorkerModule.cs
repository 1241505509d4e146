using Meridian.Hosting.Health;
using Meridian.Hosting.Modules;
using Meridian.Ingestion;
using Meridian.Ingestion.Jobs;
using Meridian.Processing.Jobs;
using Meridian.Processing.Library;
using Meridian.Processing.Workflows;

namespace Meridian.Composition;

/// <summary>
/// The <c>worker</c> role: runs jobs from the shared job store. It lives in the composition root because it
/// gathers the job handlers of every module (ingest, the process library, workflows) without those modules knowing it.
/// </summary>
internal sealed class WorkerModule : IModule
{
    public string Name => "worker";

    public void AddServices(IServiceCollection services)
    {
        services.AddIngestProcess();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<IngestJobHandler>());
        services.AddProcessJobHandlers();
        services.AddSingleton<IJobHandler, WorkflowJobHandler>();
        services.AddHostedService<JobWorker>();
        services.AddObjectStoreReadiness();
        services.AddMessageBusReadiness();
        services.AddCacheReadiness();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) { }
}
