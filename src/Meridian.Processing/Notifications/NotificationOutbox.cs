using Meridian.Processing.Workflows;
using Meridian.Storage.Jobs;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Notifications;

/// <summary>
/// Records events for delivery: one pending delivery per matching subscription, durable in the object store
/// before the deliverer sees it. Events are numbered from the clock, strictly increasing within this process, so a
/// subscription's queue lists them in the order they happened (across processes: in clock order).
/// Recording never fails the job operation it reports: a store hiccup costs the event, logged, not the job.
/// </summary>
public sealed partial class NotificationOutbox(SubscriptionStore subscriptions, ILogger<NotificationOutbox> logger) : IWorkflowEvents
{
    private readonly SemaphoreSlim _recorded = new(0, int.MaxValue);
    private long _lastSequence;

    public Task RecordAsync(NotificationEvent e, CancellationToken cancellationToken) =>
        RecordAsync(() => Task.FromResult<NotificationEvent?>(e), cancellationToken);

    /// <summary>
    /// Records the event <paramref name="describe"/> builds (none when it returns null); building it may fail too,
    /// which is logged. Without any subscription the event is not built at all: describing a job's change reads
    /// the job back, which every job would otherwise pay for nothing.
    /// </summary>
    public async Task RecordAsync(Func<Task<NotificationEvent?>> describe, CancellationToken cancellationToken)
    {
        NotificationEvent? e = null;
        try
        {
            var all = await subscriptions.ListAsync(cancellationToken);
            if (all.Count == 0) return;
            e = await describe();
            if (e is null) return;
            var matching = all.Where(s => s.Matches(e)).ToList();
            if (matching.Count == 0) return;
            var sequence = NextSequence(e.Time);
            foreach (var subscription in matching)
            {
                var delivery = new Delivery { SubscriptionId = subscription.Id, Event = e, Outcome = DeliveryOutcome.Pending, NextAttemptAt = e.Time };
                await subscriptions.EnqueueAsync(delivery, sequence, cancellationToken);
            }
            _recorded.Release();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogNotRecorded(exception, e?.Topic ?? "(unknown)", e?.Job.Id ?? "(unknown)");
        }
    }

    public Task StepAsync(JobRecord job, string workflow, StepRecord step, CancellationToken cancellationToken) =>
        RecordAsync(NotificationEvent.ForJob(job, NotificationTopics.WorkflowStep, step) with { Workflow = workflow }, cancellationToken);

    /// <summary>Waits until an event is recorded in this process or the timeout passes (events from other processes are found by polling).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _recorded.WaitAsync(timeout, cancellationToken);

    private long NextSequence(DateTimeOffset time)
    {
        var candidate = time.UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref _lastSequence);
            var next = Math.Max(candidate, last + 1);
            if (Interlocked.CompareExchange(ref _lastSequence, next, last) == last) return next;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Topic} event of job {JobId} could not be recorded for its subscribers")]
    private partial void LogNotRecorded(Exception exception, string topic, string jobId);
}
