using Meridian.Storage.Jobs;

namespace Meridian.Processing.Jobs;

/// <summary>
/// Runs one type of job. Handlers must be idempotent: a job whose worker died is run again by another, so a
/// handler either commits its effect in one transaction or checks what an earlier attempt left.
/// </summary>
public interface IJobHandler
{
    /// <summary>The job type this handler runs, e.g. "ingest".</summary>
    string Type { get; }

    /// <summary>
    /// Does the work. The token fires when the job is dismissed or the process stops. Expected failures (bad
    /// input) are returned as a failed outcome with a message for the user; exceptions are failures too, but
    /// their message is not shown.
    /// </summary>
    Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken);
}
