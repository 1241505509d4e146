using Meridian.Storage.Jobs;

namespace Meridian.Processing.Jobs;

/// <summary>Accepts a process execution as a job: the one place process executions enter the job queue.</summary>
public sealed class ProcessJobs(IJobStore store, JobSignal signal)
{
    /// <summary>Records the job (or finds the one this idempotency key made) and wakes the workers for a new one.</summary>
    public async Task<JobRecord> SubmitAsync(string processId, string inputs, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (job, created) = await store.CreateAsync(new NewJob(processId, inputs, idempotencyKey), cancellationToken);
        if (created) signal.Notify();
        return job;
    }
}
