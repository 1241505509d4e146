using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Hosting.Modules;

/// <summary>
/// A role's building block: it registers its services and maps its own endpoints. Modules never reach
/// into each other; the composition root decides which ones run in a process.
/// </summary>
public interface IModule
{
    /// <summary>The role name used with <c>serve --roles</c>.</summary>
    string Name { get; }

    /// <summary>
    /// What the module adds to the shared OGC API resources, or null. Built without the module's services: a process
    /// lists the contributions of every role of the deployment, those it does not run included (<c>Meridian:DeployedRoles</c>).
    /// </summary>
    ApiContribution? Contribution => null;

    void AddServices(IServiceCollection services);

    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
