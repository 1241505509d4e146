using Meridian.Hosting.Modules;
using Meridian.Processing.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Processing;

/// <summary>
/// The <c>processes</c> role: the job API of OGC API – Processes (status, results, dismissal) over the shared job
/// store, whichever role accepted the job.
/// </summary>
public sealed class ProcessesModule : IModule
{
    public string Name => "processes";

    public void AddServices(IServiceCollection services) { }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapJobsApi();
}
