using Meridian.Hosting.Health;
using Meridian.Hosting.Modules;
using Meridian.Hosting.Security;
using Meridian.Processing.Api;
using Meridian.Processing.Jobs;
using Meridian.Processing.Library;
using Meridian.Processing.Notifications.Api;
using Meridian.Processing.Workflows;
using Meridian.Processing.Workflows.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Processing;

/// <summary>
/// The <c>processes</c> role: OGC API – Processes Part 1 — the process library's list, descriptions and executions
/// (synchronous in the request, or asynchronous as jobs that the <c>worker</c> role runs) — the job API (status,
/// results, dismissal, an event stream) over the shared job store, whichever role accepted the job, and the
/// workflows that start jobs.
/// </summary>
public sealed class ProcessesModule : IModule
{
    public string Name => "processes";

    public static IReadOnlyList<string> ConformanceClasses { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/ogc-process-description",
        "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/json",
        "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/job-list",
        "http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/dismiss",
    ];

    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<WriteAccess>();
        services.TryAddSingleton<JobEnds>();
        services.TryAddSingleton<AnonymousProcesses>();
        services.TryAddSingleton<WorkflowRegistry>();
        services.AddProcessLibrary();
        services.AddObjectStoreReadiness();
        services.AddMessageBusReadiness();
        services.AddCacheReadiness();
    }

    public ApiContribution Contribution => ProcessesContribution;

    private static readonly ApiContribution ProcessesContribution = new()
    {
        ConformanceClasses = ConformanceClasses,
        LandingLinks =
        [
            new("/processes", "http://www.opengis.net/def/rel/ogc/1.0/processes", "application/json", "The processes"),
            new("/jobs", "http://www.opengis.net/def/rel/ogc/1.0/job-list", "application/json", "The jobs"),
        ],
        OpenApiPaths = ProcessesOpenApi.Paths,
    };

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapProcessesApi();
        endpoints.MapJobsApi();
        endpoints.MapJobEventsApi();
        endpoints.MapWorkflowsApi();
    }
}
