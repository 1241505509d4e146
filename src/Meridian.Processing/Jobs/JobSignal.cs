namespace Meridian.Processing.Jobs;

/// <summary>Wakes this process's workers when it accepts a job, so that they need not wait for their next poll.</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, int.MaxValue);

    public void Notify() => _semaphore.Release();

    /// <summary>Waits for a notification or the timeout; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
