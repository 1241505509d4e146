using Meridian.Hosting.Analytics;
using Meridian.Hosting.Telemetry;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Jobs;

/// <summary>
/// Counts every job that ends, once: in <c>geospatial_jobs_finished_total</c> and as an analytics event. A worker counts
/// the runs it ends (successful or failed); a dismissal counts a job that had not ended (accepted, or running), where
/// the dismissal happens, since a job dismissed before any worker took it has no worker to count it, and the worker of
/// one dismissed while running only sees its work cancelled. A job dismissed after it ended was counted when it ended.
/// </summary>
public sealed class JobEnds(GeospatialMetrics metrics, AnalyticsEvents? analytics = null)
{
    /// <summary>
    /// Dismisses the job, counting it when it had not ended. Returns the status it had, or null when there is no such job
    /// or it was dismissed already (then it was counted before).
    /// </summary>
    public async Task<JobStatus?> DismissAsync(IJobStore store, string id, CancellationToken cancellationToken)
    {
        var was = await store.DismissAsync(id, cancellationToken);
        if (was is JobStatus.Accepted or JobStatus.Running && await store.GetAsync(id, CancellationToken.None) is { } job)
            Record(job, JobStatus.Dismissed, job.Started is { } started ? (job.Finished ?? DateTimeOffset.UtcNow) - started : null);
        return was;
    }

    /// <summary>
    /// A job that ended as <paramref name="status"/> after running for <paramref name="ran"/>; null when it never ran
    /// (counted, but it has no duration to observe).
    /// </summary>
    public void Record(JobRecord job, JobStatus status, TimeSpan? ran)
    {
        var label = StatusLabel(status);
        metrics.JobFinished(job.Type, label, ran?.TotalSeconds);
        analytics?.Record(new AnalyticsEvent
        {
            Kind = AnalyticsEventKind.Job,
            Time = DateTime.UtcNow,
            JobId = job.Id,
            ProcessId = job.Type,
            Outcome = label,
            DurationMs = ran?.TotalMilliseconds ?? 0,
            Tenant = job.Owner,
        });
    }

    /// <summary>The status as the job API names it (statusInfo): the label values are the same words.</summary>
    private static string StatusLabel(JobStatus status) => status switch
    {
        JobStatus.Successful => "successful",
        JobStatus.Dismissed => "dismissed",
        _ => "failed",
    };
}
