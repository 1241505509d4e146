namespace Meridian.Storage.Jobs;

/// <summary>
/// The job-store port: every asynchronous job (an ingest, a process execution) with its status, progress and
/// results, shared by the process that accepts jobs and the workers that run them. The store is also the queue
/// of last resort: a worker claims an accepted job with a lease, and a job whose worker died (lease expired) can
/// be claimed again, so accepted work is never lost (at-least-once).
/// </summary>
public interface IJobStore
{
    /// <summary>
    /// Records a new accepted job, or, when a job with the same idempotency key exists, returns that one with
    /// <c>Created</c> false: repeating a request with the same key never starts the work twice.
    /// </summary>
    Task<(JobRecord Job, bool Created)> CreateAsync(NewJob job, CancellationToken cancellationToken);

    Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The jobs <paramref name="query"/> selects, the most recent first.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the oldest job of one of <paramref name="types"/> that nobody is about to run — accepted at least
    /// <paramref name="acceptedFor"/> ago (by the store's clock), or running with an expired lease — to running for this
    /// worker until the lease ends; null when there is none. A worker's sweep for jobs whose message was lost claims this
    /// way: a younger accepted job's message may still be on its way, and its delivery will claim it.
    /// </summary>
    Task<JobRecord?> ClaimAsync(IReadOnlyCollection<string> types, string workerId, TimeSpan lease, TimeSpan acceptedFor, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the job <paramref name="id"/> to running for this worker when it is one of <paramref name="types"/> and
    /// accepted (however recently), or running with an expired lease; null otherwise (unknown,
    /// ended, dismissed, or another worker's live claim). A worker told of a job by a message claims it this way.
    /// </summary>
    Task<JobRecord?> ClaimByIdAsync(string id, IReadOnlyCollection<string> types, string workerId, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records progress and extends the lease; false when the job is no longer this worker's (dismissed, reclaimed).</summary>
    Task<bool> ReportAsync(string id, string workerId, JobProgress progress, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a running job of this worker that it stopped before the end (its process is shutting down), so that
    /// another worker claims it at once rather than after the lease. The job stays running, with the progress it
    /// recorded, but belongs to no worker and its lease has expired: what a dead worker's job looks like once its lease
    /// ran out, which <see cref="ClaimByIdAsync"/> and <see cref="ClaimAsync"/> take at once (the sweep without waiting
    /// for <c>acceptedFor</c>: that grace is for accepted jobs, whose message may be on its way). Attempts counts claims,
    /// so the released run still counts and the next claim is the next attempt: a run stopped mid-way may have left
    /// effects, and nothing limits a job's attempts. False, changing nothing, when the job is no longer this worker's
    /// (dismissed, reclaimed after the lease, ended, or released already).
    /// </summary>
    Task<bool> ReleaseAsync(string id, string workerId, CancellationToken cancellationToken);

    /// <summary>Ends a running job of this worker as successful or failed; false when it is no longer this worker's.</summary>
    Task<bool> FinishAsync(string id, string workerId, JobOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a job dismissed: an accepted or running job is cancelled; an ended one loses its results (OGC API – Processes
    /// 1.0: dismissing removes a finished job's artifacts, and the job then reads as dismissed). Returns the status the
    /// job had when this call dismissed it (read and changed at once, so that whoever dismisses an unfinished job knows
    /// it, and only one caller does); null when there is no such job or it was dismissed already.
    /// </summary>
    Task<JobStatus?> DismissAsync(string id, CancellationToken cancellationToken);
}

/// <summary>The states of OGC API – Processes' statusInfo.</summary>
public enum JobStatus
{
    Accepted,
    Running,
    Successful,
    Failed,
    Dismissed,
}

/// <summary>
/// Which jobs to list (the filters of OGC API – Processes' job list, /req/job-list/…): each filter left null
/// selects every job; the rest is a page of <paramref name="Limit"/> jobs after skipping <paramref name="Offset"/>.
/// </summary>
/// <param name="Types">Jobs of these types only (a process job's type is its process id: the processID filter).</param>
/// <param name="Statuses">Jobs in one of these states only.</param>
/// <param name="Created">Jobs created within this interval only (either end may be open).</param>
/// <param name="MinDuration">Jobs that have run at least this long only: until they finished, or until now while running.
/// A job that never started has no duration and is left out when either duration is given.</param>
/// <param name="MaxDuration">Jobs that have run at most this long only, as <paramref name="MinDuration"/>.</param>
public sealed record JobQuery(
    int Limit,
    int Offset = 0,
    IReadOnlyCollection<string>? Types = null,
    IReadOnlyCollection<JobStatus>? Statuses = null,
    Querying.TimeInterval? Created = null,
    TimeSpan? MinDuration = null,
    TimeSpan? MaxDuration = null,
    JobVisibility? Visibility = null);

/// <summary>
/// Which jobs a caller may see when collections belong to tenants: the public ones (no owner: submitted anonymously or
/// without tenancy) and those of <paramref name="Tenant"/> (none: the public ones only). No visibility: every job.
/// Workflow definitions and webhook subscriptions are owned the same way.
/// </summary>
public sealed record JobVisibility(string? Tenant)
{
    public bool Sees(JobRecord job) => Sees(job.Owner);

    /// <summary>Whether something owned by <paramref name="owner"/> (none: public) is this caller's to see.</summary>
    public bool Sees(string? owner) => owner is null || owner == Tenant;
}

/// <param name="Type">What runs the job: "ingest", or a process id.</param>
/// <param name="Inputs">The job's inputs as JSON, as its handler reads them.</param>
/// <param name="IdempotencyKey">A client's key for the request (the Idempotency-Key header), if it sent one.</param>
/// <param name="Owner">The tenant that submitted the job, when collections belong to tenants; none: a public job.</param>
/// <param name="StartedByAdmin">Whether an admin submitted it: the job then runs with an admin's sight of every tenant.</param>
public sealed record NewJob(string Type, string Inputs, string? IdempotencyKey = null, string? Owner = null, bool StartedByAdmin = false)
{
    /// <summary>The key as stored: keys are the client's choice, so each tenant has its own (another's must not find its job).</summary>
    public string? StoredIdempotencyKey => IdempotencyKey is null || Owner is null ? IdempotencyKey : Owner + "\n" + IdempotencyKey;
}

/// <param name="Percent">0 to 100 when the work can tell, else null.</param>
/// <param name="Details">Counts or other progress as JSON (an ingest's read/loaded/rejected), or null.</param>
public sealed record JobProgress(string? Message, int? Percent, string? Details);

/// <param name="Results">The results as JSON (an ingest report), or null.</param>
public sealed record JobOutcome(JobStatus Status, string? Message, string? Results)
{
    public static JobOutcome Succeeded(string? message, string? results) => new(JobStatus.Successful, message, results);

    public static JobOutcome Failed(string message, string? results = null) => new(JobStatus.Failed, message, results);
}

/// <param name="Owner">The tenant that submitted the job (none: public); the worker runs it as that tenant.</param>
/// <param name="StartedByAdmin">Whether an admin submitted it; the worker then runs it with an admin's sight.</param>
public sealed record JobRecord(
    string Id,
    string Type,
    JobStatus Status,
    string Inputs,
    string? IdempotencyKey,
    string? Message,
    int? Percent,
    string? Details,
    string? Results,
    int Attempts,
    DateTimeOffset Created,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    DateTimeOffset Updated,
    string? Owner = null,
    bool StartedByAdmin = false)
{
    public bool HasEnded => Status is JobStatus.Successful or JobStatus.Failed or JobStatus.Dismissed;
}
