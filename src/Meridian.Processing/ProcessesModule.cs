using Meridian.Hosting.Modules;
using Meridian.Hosting.Security;
using Meridian.Processing.Api;
using Meridian.Processing.Notifications.Api;
using Meridian.Processing.Workflows;
using Meridian.Processing.Workflows.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Processing;

/// <summary>
/// The <c>processes</c> role: the job API of OGC API – Processes (status, results, dismissal, an event stream) over
/// the shared job store, whichever role accepted the job, and the workflows that start jobs.
/// </summary>
public sealed class ProcessesModule : IModule
{
    public string Name => "processes";

    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<WriteAccess>();
        services.TryAddSingleton<WorkflowRegistry>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapJobsApi();
        endpoints.MapJobEventsApi();
        endpoints.MapWorkflowsApi();
    }
}
