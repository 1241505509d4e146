using System.Diagnostics;
using System.Text;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Telemetry;
using Meridian.Messaging;
using Meridian.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Jobs;

/// <summary>
/// The <c>worker</c> role: runs the jobs the bus announces (<see cref="JobQueue"/>), claiming each by its id in the job
/// store, keeping the claim's lease alive while the handler works, stopping the handler when the job is dismissed, and
/// recording the outcome; only then is the message acknowledged. Any number of workers (threads or processes) share a
/// store and a bus safely: the claim decides who runs a job, and a message for a job that has ended or that another
/// worker holds is simply acknowledged. The store stays the safety net: every few seconds the worker also sweeps it for
/// jobs nobody is about to run — accepted longer than <see cref="DeliveryGrace"/> ago (their message was lost), or
/// running on a worker that died (lease expired). A worker that stops releases the jobs it was running
/// (<see cref="IJobStore.ReleaseAsync"/>), so they are claimed again at once, not a lease later. Delivered and swept
/// jobs alike take one of the <c>Worker:Concurrency</c> slots, so a process never runs more jobs at once than that.
/// With tenants, every job runs as the caller that submitted it (<see cref="TenantCaller.StarterOf"/>): the worker
/// itself sees every tenant's collections, a job only what its starter saw, whatever the handler checks or forgets
/// to. Each run that ends
/// (successful or failed) is counted and an analytics event (<see cref="JobEnds"/>; a dismissal counts itself).
/// </summary>
public sealed partial class JobWorker(
    IJobStore store, IMessageBus bus, IEnumerable<IJobHandler> handlers, CollectionCatalog catalog, MeridianOptions options,
    GeospatialMetrics metrics, ILogger<JobWorker> logger, AnalyticsEvents? analytics = null)
    : BackgroundService
{
    /// <summary>How long a claim lasts without a heartbeat: long enough to ride out a pause, short enough to recover a dead worker's job soon.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Heartbeat = Lease / 3;

    /// <summary>
    /// How long after its acceptance a job's message may still be on its way: the submission's patience with the bus
    /// (<see cref="JobQueue.PublishPatience"/>, 5 s) and the bus's redeliveries of a message whose handler failed
    /// (<see cref="RetryPolicy.Default"/>: 1 + 2 + 4 + 8 s) take 20 s at most; a minute leaves room for a slow broker.
    /// Only older accepted jobs are swept: a younger one is the delivery's to claim, in its turn.
    /// </summary>
    public static readonly TimeSpan DeliveryGrace = TimeSpan.FromMinutes(1);

    /// <summary>Accepted jobs are swept only once this old (<see cref="DeliveryGrace"/>; shorter in tests).</summary>
    internal TimeSpan AcceptedGrace { get; init; } = DeliveryGrace;

    /// <summary>How often the store is searched for jobs the bus did not deliver (shorter in tests).</summary>
    internal TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a stopping worker waits for the store to take back a job it stopped (<see cref="IJobStore.ReleaseAsync"/>):
    /// the host is shutting down and will not wait long; past it, the job's lease runs out as if the worker had died.
    /// </summary>
    private static readonly TimeSpan ReleasePatience = TimeSpan.FromSeconds(5);

    /// <summary>Job ids are short; anything longer is not a job message.</summary>
    private const int MaxJobIdLength = 128;

    private readonly JobEnds _ends = new(metrics, analytics);
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);
    private readonly string _workerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>The <c>Worker:Concurrency</c> jobs this process may run at once, delivered or swept.</summary>
    private readonly SemaphoreSlim _slots = new(options.Worker.Concurrency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0) return;
        // The sweep runs from the start, so jobs are run from the store even while the bus cannot be reached.
        var sweeping = SweepAsync(stoppingToken);
        IAsyncDisposable? subscription = null;
        try
        {
            subscription = await bus.ConsumeAsync(JobQueue.Queue, options.Worker.Concurrency, OnMessageAsync, stoppingToken);
            await sweeping;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Without the bus the worker still runs jobs, found by the sweep; slower, but nothing is stranded.
            LogBusUnavailable(e);
            await sweeping;
        }
        finally
        {
            // Cancels the jobs still running, which are released to be claimed again at once; their messages go back
            // unacknowledged, to be announced to another worker (released first, so its claim succeeds).
            if (subscription is not null) await subscription.DisposeAsync();
            await sweeping;
        }
    }

    private async Task<MessageOutcome> OnMessageAsync(Message message, CancellationToken stopping)
    {
        var id = Encoding.UTF8.GetString(message.Body.Span);
        if (id.Length is 0 or > MaxJobIdLength)
        {
            LogMalformed(message.Id);
            return MessageOutcome.Reject;
        }
        await _slots.WaitAsync(stopping);
        try
        {
            var job = await store.ClaimByIdAsync(id, _handlers.Keys, _workerId, Lease, stopping);
            if (job is not null) await RunAsync(job, stopping);
        }
        finally
        {
            _slots.Release();
        }
        // Stopped mid-job: leave the message unsettled, so that the job is announced to another worker.
        stopping.ThrowIfCancellationRequested();
        return MessageOutcome.Ack;
    }

    /// <summary>
    /// Every <see cref="SweepInterval"/>, claims the store's stranded jobs while a slot is free and runs each in its
    /// slot, as many at once as there are slots (without the bus, the sweep is how every job runs).
    /// </summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SweepInterval, stoppingToken);
                running.RemoveAll(task => task.IsCompleted);
                while (await ClaimStrandedAsync(stoppingToken) is { } job) running.Add(RunSweptAsync(job, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogStoreUnavailable(e);
            }
        }
        await Task.WhenAll(running);
    }

    /// <summary>Takes a slot, then claims a stranded job in it; null (the slot given back) when there is none.</summary>
    private async Task<JobRecord?> ClaimStrandedAsync(CancellationToken stoppingToken)
    {
        await _slots.WaitAsync(stoppingToken);
        JobRecord? job = null;
        try
        {
            job = await store.ClaimAsync(_handlers.Keys, _workerId, Lease, AcceptedGrace, stoppingToken);
            return job;
        }
        finally
        {
            if (job is null) _slots.Release();
        }
    }

    private async Task RunSweptAsync(JobRecord job, CancellationToken stoppingToken)
    {
        try
        {
            // Attempts counts claims: the first means the job was accepted and its message never came.
            if (job.Attempts == 1) LogUndelivered(job.Id, job.Created);
            else LogTakenOver(job.Id, job.Attempts);
            await RunAsync(job, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Recording the outcome failed (the store went away): the lease runs out and the job is swept again.
            LogStoreUnavailable(e);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Runs a claimed job and records its outcome, unless the process is stopping: then the job is released, for another
    /// worker (or this one, restarted) to claim at once rather than after its lease.
    /// </summary>
    private async Task RunAsync(JobRecord job, CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
        {
            // Claimed as the process began to stop: given back unstarted.
            await ReleaseAsync(job.Id);
            return;
        }
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = new LeaseKeeper(store, job.Id, _workerId, cancellation);
        using var heartbeat = new Timer(_ => progress.Beat(), null, Heartbeat, Heartbeat);
        LogStarted(job.Id, job.Type, job.Attempts);
        var started = Stopwatch.GetTimestamp();
        JobOutcome outcome;
        try
        {
            using (catalog.ActAs(TenantCaller.StarterOf(job)))
                outcome = await _handlers[job.Type].RunAsync(job, progress, cancellation.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the handler has stopped, so the job can be given back (a dismissed one is left alone).
            await heartbeat.DisposeAsync();
            await progress.FlushAsync();
            await ReleaseAsync(job.Id);
            return;
        }
        catch (OperationCanceledException)
        {
            // The job is no longer this worker's: dismissed (counted by the dismissal, see JobEnds), or, rarely, its lease
            // lost to another worker, which then ends and counts it.
            LogDismissed(job.Id);
            return;
        }
        catch (Exception e)
        {
            LogCrashed(e, job.Id);
            outcome = JobOutcome.Failed("The job failed because of an internal error; see the server log.");
        }
        await progress.FlushAsync();
        if (!await store.FinishAsync(job.Id, _workerId, outcome, CancellationToken.None)) return;
        LogFinished(job.Id, outcome.Status);
        _ends.Record(job, outcome.Status, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Gives a job this worker stopped back to the store, waiting at most <see cref="ReleasePatience"/>; if the store
    /// cannot be reached, the job's lease runs out and it is claimed again then.
    /// </summary>
    private async Task ReleaseAsync(string jobId)
    {
        using var patience = new CancellationTokenSource(ReleasePatience);
        try
        {
            if (await store.ReleaseAsync(jobId, _workerId, patience.Token)) LogReleased(jobId);
        }
        catch (Exception e)
        {
            LogReleaseFailed(e, jobId);
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was stopped with the worker and released, for another worker to claim at once")]
    private partial void LogReleased(string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} was stopped with the worker but could not be released; it is claimed again once its lease runs out")]
    private partial void LogReleaseFailed(Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed with an unexpected error")]
    private partial void LogCrashed(Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job store is unavailable; retrying")]
    private partial void LogStoreUnavailable(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The worker cannot consume the job queue; it runs jobs from the job store only")]
    private partial void LogBusUnavailable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}, accepted at {Created:o}, was never delivered by the bus (its message was lost); running it from the job store")]
    private partial void LogUndelivered(string jobId, DateTimeOffset created);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} was running on a worker that stopped (released it) or died (its lease expired); running it again (attempt {Attempt})")]
    private partial void LogTakenOver(string jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} on the job queue does not carry a job id; dead-lettered")]
    private partial void LogMalformed(string messageId);
}
