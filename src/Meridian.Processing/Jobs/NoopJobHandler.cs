using Meridian.Storage.Jobs;

namespace Meridian.Processing.Jobs;

/// <summary>
/// A job that does nothing and succeeds: what the job pipeline itself costs (store, bus, claim, outcome) with no
/// work in the way, as bench/jobs measures it, and a way to check a deployment's workers end to end.
/// </summary>
public sealed class NoopJobHandler : IJobHandler
{
    public const string JobType = "noop";

    public string Type => JobType;

    public Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken) =>
        Task.FromResult(JobOutcome.Succeeded("nothing to do", null));
}
