using System.Text;
using Meridian.Messaging;
using Meridian.Storage.Jobs;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Jobs;

/// <summary>
/// Submits jobs: records the job in the store (the source of truth: its status, and the queue of last resort), then
/// publishes its id on the bus so that a worker starts it at once. A job whose message is lost (the bus was away)
/// is still run: workers also claim accepted jobs from the store once their message is overdue (see
/// <see cref="JobWorker.DeliveryGrace"/>).
/// </summary>
public sealed partial class JobQueue(IJobStore store, IMessageBus bus, ILogger<JobQueue> logger)
{
    /// <summary>The bus queue whose messages carry the ids of accepted jobs.</summary>
    public const string Queue = "meridian.jobs";

    /// <summary>How long a submission waits for the bus before it leaves the job to the store's safety net.</summary>
    internal static readonly TimeSpan PublishPatience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Records the job and announces it; with an idempotency key already used, returns that job with
    /// <c>Created</c> false and announces nothing.
    /// </summary>
    public async Task<(JobRecord Job, bool Created)> SubmitAsync(NewJob job, CancellationToken cancellationToken)
    {
        var (record, created) = await store.CreateAsync(job, cancellationToken);
        if (!created) return (record, created);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(PublishPatience);
        try
        {
            await bus.PublishAsync(Queue, Encoding.UTF8.GetBytes(record.Id), new Dictionary<string, string> { ["job-type"] = record.Type }, patience.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The job is safe in the store; a worker's sweep of the store starts it once it is overdue, within a minute or so.
            LogNotAnnounced(e, record.Id);
        }
        return (record, created);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} was accepted but could not be announced on the bus; a worker will take it from the job store within a minute or so")]
    private partial void LogNotAnnounced(Exception exception, string jobId);
}
