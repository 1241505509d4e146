using Meridian.Storage.Jobs;

namespace Meridian.Processing.Notifications;

/// <summary>
/// The job store, recording an event in the outbox after each status change it committed: created (accepted),
/// claimed (running), finished (successful or failed), dismissed. Whoever changes a job — an API, a worker in any
/// process — goes through the store, so every change is seen without the job code knowing about notifications.
/// Progress reports are not events (they come every second); the job's event stream shows them.
/// </summary>
public sealed class NotifyingJobStore(IJobStore inner, NotificationOutbox outbox) : IJobStore
{
    public async Task<(JobRecord Job, bool Created)> CreateAsync(NewJob job, CancellationToken cancellationToken)
    {
        var result = await inner.CreateAsync(job, cancellationToken);
        if (result.Created) await RecordAsync(result.Job);
        return result;
    }

    public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public async Task<JobRecord?> ClaimAsync(IReadOnlyCollection<string> types, string workerId, TimeSpan lease, TimeSpan acceptedFor, CancellationToken cancellationToken)
    {
        var job = await inner.ClaimAsync(types, workerId, lease, acceptedFor, cancellationToken);
        if (job is not null) await RecordAsync(job);
        return job;
    }

    public async Task<JobRecord?> ClaimByIdAsync(string id, IReadOnlyCollection<string> types, string workerId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var job = await inner.ClaimByIdAsync(id, types, workerId, lease, cancellationToken);
        if (job is not null) await RecordAsync(job);
        return job;
    }

    public Task<bool> ReportAsync(string id, string workerId, JobProgress progress, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.ReportAsync(id, workerId, progress, lease, cancellationToken);

    /// <summary>Not an event: the job stays running until another worker claims it (that claim is one).</summary>
    public Task<bool> ReleaseAsync(string id, string workerId, CancellationToken cancellationToken) => inner.ReleaseAsync(id, workerId, cancellationToken);

    public async Task<bool> FinishAsync(string id, string workerId, JobOutcome outcome, CancellationToken cancellationToken)
    {
        var finished = await inner.FinishAsync(id, workerId, outcome, cancellationToken);
        if (finished) await RecordAsync(id);
        return finished;
    }

    public async Task<JobStatus?> DismissAsync(string id, CancellationToken cancellationToken)
    {
        var was = await inner.DismissAsync(id, cancellationToken);
        if (was is not null) await RecordAsync(id);
        return was;
    }

    /// <summary>The event carries the job as committed (read back), so its status and message are what the store holds.</summary>
    private Task RecordAsync(string id) => outbox.RecordAsync(async () =>
        await inner.GetAsync(id, CancellationToken.None) is { } job ? NotificationEvent.ForJob(job, NotificationTopics.ForStatus(job.Status)) : null,
        CancellationToken.None);

    /// <summary>A creation or a claim returns the job as it committed it, so there is nothing to read back.</summary>
    private Task RecordAsync(JobRecord job) =>
        outbox.RecordAsync(() => Task.FromResult<NotificationEvent?>(NotificationEvent.ForJob(job, NotificationTopics.ForStatus(job.Status))), CancellationToken.None);
}
