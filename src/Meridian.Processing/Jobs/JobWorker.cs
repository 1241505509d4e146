using Meridian.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Jobs;

/// <summary>
/// The <c>worker</c> role's loop: claims jobs its handlers can run, one at a time, keeps the claim's lease alive
/// while the handler works, stops the handler when the job is dismissed, and records the outcome. Several workers
/// (threads or processes) share a job store safely; a job whose worker died is claimed again when its lease ends.
/// </summary>
public sealed partial class JobWorker(IJobStore store, IEnumerable<IJobHandler> handlers, JobSignal signal, ILogger<JobWorker> logger)
    : BackgroundService
{
    /// <summary>How long a claim lasts without a heartbeat: long enough to ride out a pause, short enough to recover a dead worker's job soon.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Heartbeat = Lease / 3;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);
    private readonly string _workerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            JobRecord? job;
            try
            {
                job = await store.ClaimAsync(_handlers.Keys, _workerId, Lease, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStoreUnavailable(e);
                job = null;
            }
            if (job is null)
            {
                try { await signal.WaitAsync(Poll, stoppingToken); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            await RunAsync(job, stoppingToken);
        }
    }

    private async Task RunAsync(JobRecord job, CancellationToken stoppingToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = new LeaseKeeper(store, job.Id, _workerId, cancellation);
        using var heartbeat = new Timer(_ => progress.Beat(), null, Heartbeat, Heartbeat);
        LogStarted(job.Id, job.Type, job.Attempts);
        JobOutcome outcome;
        try
        {
            outcome = await _handlers[job.Type].RunAsync(job, progress, cancellation.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another worker (or this one, restarted) takes the job again.
            return;
        }
        catch (OperationCanceledException)
        {
            LogDismissed(job.Id);
            return;
        }
        catch (Exception e)
        {
            LogCrashed(e, job.Id);
            outcome = JobOutcome.Failed("The job failed because of an internal error; see the server log.");
        }
        await progress.FlushAsync();
        if (await store.FinishAsync(job.Id, _workerId, outcome, CancellationToken.None)) LogFinished(job.Id, outcome.Status);
    }

    /// <summary>Records progress at most every second, renews the lease, and cancels the work when the job is no longer this worker's.</summary>
    private sealed class LeaseKeeper(IJobStore store, string jobId, string workerId, CancellationTokenSource cancellation) : IProgress<JobProgress>
    {
        private readonly Lock _lock = new();
        private JobProgress _latest = new(null, null, null);
        private long _lastWrite;
        private Task _writing = Task.CompletedTask;

        public void Report(JobProgress value)
        {
            lock (_lock)
            {
                _latest = value;
                if (Environment.TickCount64 - _lastWrite < 1000) return;
            }
            Beat();
        }

        public void Beat()
        {
            lock (_lock)
            {
                if (!_writing.IsCompleted) return;
                _lastWrite = Environment.TickCount64;
                _writing = WriteAsync(_latest);
            }
        }

        public async Task FlushAsync()
        {
            Task writing;
            lock (_lock) writing = _writing;
            await writing;
        }

        private async Task WriteAsync(JobProgress progress)
        {
            try
            {
                if (!await store.ReportAsync(jobId, workerId, progress, Lease, CancellationToken.None)) await cancellation.CancelAsync();
            }
            catch (Exception) when (!cancellation.IsCancellationRequested)
            {
                // A store hiccup: the next beat tries again, and an expired lease is the worst outcome.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Type}) started, attempt {Attempt}")]
    private partial void LogStarted(string jobId, string type, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} finished: {Status}")]
    private partial void LogFinished(string jobId, JobStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was dismissed while running; its work was cancelled")]
    private partial void LogDismissed(string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed with an unexpected error")]
    private partial void LogCrashed(Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job store is unavailable; retrying")]
    private partial void LogStoreUnavailable(Exception exception);
}
