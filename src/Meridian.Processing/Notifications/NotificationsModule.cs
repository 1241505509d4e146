using Meridian.Hosting.Catalog;
using Meridian.Hosting.Health;
using Meridian.Hosting.Modules;
using Meridian.Hosting.Security;
using Meridian.Processing.Notifications.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Processing.Notifications;

/// <summary>
/// The <c>notifications</c> role: webhook subscriptions and their delivery. Events are recorded by whichever
/// process changes a job (see <see cref="NotifyingJobStore"/>); this role delivers them. Run one replica of it.
/// </summary>
public sealed class NotificationsModule : IModule
{
    public string Name => "notifications";

    public void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<WriteAccess>();
        // For the caller's tenant, which owns its subscriptions; this role reads no collections, so no store readiness.
        services.TryAddSingleton<CollectionCatalog>();
        services.AddHostedService<WebhookDeliverer>();
        services.AddObjectStoreReadiness();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapSubscriptionsApi();
}
