using Meridian.Processing.Jobs;
using Meridian.Processing.Notifications;
using Meridian.Processing.Processes;
using Meridian.Processing.Workflows;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Processing;

/// <summary>What every role that touches jobs shares, whichever roles run in the process.</summary>
public static class ProcessingServices
{
    /// <summary>
    /// Registers the job store, wrapped so that each status change it commits becomes a notification event
    /// (<see cref="NotifyingJobStore"/>), the outbox those events go to, and the "notify" process that workflows
    /// use to send their own messages (every role sees it: the API checks definitions against it, workers run it).
    /// Needs an <see cref="IObjectStore"/>.
    /// </summary>
    public static IServiceCollection AddJobStore(this IServiceCollection services, Func<IServiceProvider, IJobStore> create)
    {
        services.AddSingleton<NotifyProcess>();
        services.AddSingleton<IProcess>(sp => sp.GetRequiredService<NotifyProcess>());
        // Executed asynchronously through /processes like any other process; only the worker role runs handlers.
        services.AddSingleton<IJobHandler>(sp => new ProcessJobHandler(sp.GetRequiredService<NotifyProcess>()));
        services.TryAddSingleton(sp => new ReservedDocuments(sp.GetRequiredService<IObjectStore>()));
        services.TryAddSingleton<SubscriptionStore>();
        services.TryAddSingleton<NotificationOutbox>();
        services.TryAddSingleton<IWorkflowEvents>(sp => sp.GetRequiredService<NotificationOutbox>());
        services.AddSingleton<IJobStore>(sp => new NotifyingJobStore(create(sp), sp.GetRequiredService<NotificationOutbox>()));
        return services;
    }
}
