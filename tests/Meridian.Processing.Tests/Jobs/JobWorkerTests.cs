using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Telemetry;
using Meridian.Messaging;
using Meridian.Messaging.Sqlite;
using Meridian.Processing.Jobs;
using Meridian.Storage.GeoPackage.Jobs;
using Meridian.Storage.Jobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Jobs;

/// <summary>
/// The worker on the embedded store and bus (real SQLite files): jobs submitted through <see cref="JobQueue"/> run
/// once, duplicates and garbage on the queue do no harm, a job whose message never came is still run, but only once
/// its message is overdue, and never beyond <c>Worker:Concurrency</c>. The worker sweeps every 100 ms here (5 s in
/// production) with the production grace, so a job counts as undelivered only when a test back-dates it.
/// </summary>
public sealed class JobWorkerTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly CountingHandler _handler = new();
    private SqliteJobStore _store = null!;
    private SqliteMessageBus _bus = null!;
    private JobQueue _queue = null!;
    private JobWorker _worker = null!;
    private MeridianOptions _options = null!;
    private CollectionCatalog _catalog = null!;
    private GeospatialMetrics _metrics = null!;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private AnalyticsEvents _analytics = null!;
    private JobEnds _ends = null!;
    private readonly List<AnalyticsEvent> _recorded = [];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _finished = new();

    public async Task InitializeAsync()
    {
        _store = new SqliteJobStore(Path.Combine(_data.Path, "jobs.db"));
        _bus = new SqliteMessageBus(Path.Combine(_data.Path, "messages.db"), new RetryPolicy(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        _queue = new JobQueue(_store, _bus, NullLogger<JobQueue>.Instance);
        // One at a time: the queue is then handled in order, so a job submitted last proves the earlier messages were handled.
        _options = new MeridianOptions { Worker = { Concurrency = 1 } };
        _analytics = new AnalyticsEvents(_options, _meters.GetRequiredService<IMeterFactory>());
        _catalog = new CollectionCatalog([], NullLogger<CollectionCatalog>.Instance);
        var factory = _meters.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "geospatial_jobs_finished") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "status") _finished.Enqueue((string)tag.Value!);
        });
        _listener.Start();
        _metrics = new GeospatialMetrics(factory);
        _ends = new JobEnds(_metrics, _analytics);
        _worker = NewWorker(TimeSpan.FromMilliseconds(100));
        await _worker.StartAsync(CancellationToken.None);
    }

    /// <summary>A worker on the same store, bus and handler, as another worker process would be.</summary>
    private JobWorker NewWorker(TimeSpan sweepInterval) =>
        new(_store, _bus, [_handler], _catalog, _options, _metrics, NullLogger<JobWorker>.Instance, _analytics) { SweepInterval = sweepInterval };

    public async Task DisposeAsync()
    {
        _handler.Release();
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        _listener.Dispose();
        await _bus.DisposeAsync();
        await _meters.DisposeAsync();
        _data.Dispose();
    }

    private async Task<JobRecord> SubmitAsync(string inputs = "{}") =>
        (await _queue.SubmitAsync(new NewJob(CountingHandler.JobType, inputs), CancellationToken.None)).Job;

    private async Task<JobRecord> WaitForEndAsync(string id)
    {
        for (var i = 0; i < 1200; i++)
        {
            var job = await _store.GetAsync(id, CancellationToken.None);
            if (job!.HasEnded) return job;
            await Task.Delay(50);
        }
        throw new TimeoutException($"job {id} did not end within a minute");
    }

    [Fact]
    public async Task A_submitted_job_runs_once_and_its_outcome_is_recorded()
    {
        var job = await SubmitAsync("""{"n":1}""");

        var done = await WaitForEndAsync(job.Id);

        Assert.Equal(JobStatus.Successful, done.Status);
        Assert.Equal("""{"n":1}""", done.Results);
        Assert.Equal(1, _handler.Runs(job.Id));
        Assert.Equal(1, done.Attempts);
    }

    [Fact]
    public async Task A_finished_job_is_an_analytics_event_with_its_process_outcome_and_owner()
    {
        var job = (await _queue.SubmitAsync(new NewJob(CountingHandler.JobType, "{}", Owner: "acme"), CancellationToken.None)).Job;
        await WaitForEndAsync(job.Id);

        var recorded = await _analytics.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((AnalyticsEventKind.Job, job.Id, CountingHandler.JobType, "successful", "acme"),
            (recorded.Kind, recorded.JobId, recorded.ProcessId, recorded.Outcome, recorded.Tenant));
        Assert.True(recorded.DurationMs >= 0);
    }

    [Fact]
    public async Task A_duplicate_announcement_never_runs_a_job_twice()
    {
        var job = await SubmitAsync();
        await WaitForEndAsync(job.Id);

        for (var i = 0; i < 3; i++) await _bus.PublishAsync(JobQueue.Queue, Encoding.UTF8.GetBytes(job.Id), null, CancellationToken.None);
        var marker = await SubmitAsync();
        await WaitForEndAsync(marker.Id);

        Assert.Equal(1, _handler.Runs(job.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    public async Task A_message_that_is_not_a_job_id_is_dead_lettered_and_the_worker_carries_on(string kind)
    {
        var body = kind == "" ? [] : Encoding.UTF8.GetBytes(new string('x', 10_000) + "'; DROP TABLE jobs; --");
        var dead = Channel.CreateUnbounded<Message>();
        await using var deadLetters = await _bus.ConsumeAsync(DeadLetters.QueueOf(JobQueue.Queue), 1, async (message, _) =>
        {
            await dead.Writer.WriteAsync(message);
            return MessageOutcome.Ack;
        }, CancellationToken.None);

        await _bus.PublishAsync(JobQueue.Queue, body, null, CancellationToken.None);
        var deadLetter = await dead.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        var next = await SubmitAsync();

        Assert.Equal(body, deadLetter.Body.ToArray());
        Assert.Equal(1, deadLetter.Attempt);
        Assert.Equal(JobStatus.Successful, (await WaitForEndAsync(next.Id)).Status);
    }

    /// <summary>The outcomes recorded as analytics events for the job, so far.</summary>
    private List<string?> Outcomes(string id)
    {
        while (_analytics.Reader.TryRead(out var recorded)) _recorded.Add(recorded);
        return _recorded.Where(e => e.JobId == id).Select(e => e.Outcome).ToList();
    }

    // A job dismissed before a worker took it was counted nowhere: only workers counted, and none ran it.
    [Fact]
    public async Task A_job_dismissed_while_accepted_is_counted_once_as_dismissed()
    {
        var held = await SubmitAsync(CountingHandler.Hold);
        await _handler.Started(held.Id).WaitAsync(TimeSpan.FromMinutes(1));
        var waiting = await SubmitAsync(); // the one slot is taken: it stays accepted

        Assert.Equal(JobStatus.Accepted, await _ends.DismissAsync(_store, waiting.Id, CancellationToken.None));
        Assert.Null(await _ends.DismissAsync(_store, waiting.Id, CancellationToken.None));
        _handler.Release();
        await WaitForEndAsync(held.Id);
        var marker = await SubmitAsync();
        await WaitForEndAsync(marker.Id); // by now the worker has had the dismissed job's message, and left the job alone

        Assert.Equal(0, _handler.Runs(waiting.Id));
        Assert.Equal(["dismissed"], Outcomes(waiting.Id));
        Assert.Equal(["dismissed", "successful", "successful"], _finished.Order(StringComparer.Ordinal).ToList());
    }

    // The dismissal counts the job; its worker, which only sees its work cancelled, must not count it again.
    [Fact]
    public async Task A_job_dismissed_while_running_is_counted_once_as_dismissed()
    {
        var running = await SubmitAsync(CountingHandler.Hold);
        await _handler.Started(running.Id).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(JobStatus.Running, await _ends.DismissAsync(_store, running.Id, CancellationToken.None));
        await _handler.Cancelled(running.Id).WaitAsync(TimeSpan.FromMinutes(1)); // at the worker's next heartbeat
        var marker = await SubmitAsync();
        await WaitForEndAsync(marker.Id); // the worker has finished with the dismissed job: its one slot was free again

        Assert.Equal(["dismissed"], Outcomes(running.Id));
        Assert.Equal(["dismissed", "successful"], _finished.Order(StringComparer.Ordinal).ToList());
    }

    // A stopped worker used to leave its job running under its lease: nobody could claim it for 30 s.
    [Fact]
    public async Task A_stopped_worker_releases_its_running_job_for_the_sweep_to_claim_at_once()
    {
        var job = await SubmitAsync(CountingHandler.Hold);
        await _handler.Started(job.Id).WaitAsync(TimeSpan.FromMinutes(1));

        await _worker.StopAsync(CancellationToken.None);
        var released = await _store.GetAsync(job.Id, CancellationToken.None);
        // With the production grace: the job was accepted moments ago, but it is not waiting for its message.
        var swept = await _store.ClaimAsync([CountingHandler.JobType], "next-worker", JobWorker.Lease, JobWorker.DeliveryGrace, CancellationToken.None);

        Assert.True(_handler.Cancelled(job.Id).IsCompleted);
        Assert.Equal(JobStatus.Running, released!.Status);
        Assert.Equal((job.Id, 2), (swept!.Id, swept.Attempts));
    }

    // The stopped worker gives the message back only after the job: the next worker the message reaches can claim it.
    [Fact]
    public async Task A_job_stopped_with_its_worker_runs_on_the_next_worker_its_message_reaches()
    {
        var job = await SubmitAsync(CountingHandler.Hold);
        await _handler.Started(job.Id).WaitAsync(TimeSpan.FromMinutes(1));
        await _worker.StopAsync(CancellationToken.None);
        _handler.Release();

        // This worker never sweeps: only the message can bring it the job, and only a released job can it claim.
        using var next = NewWorker(TimeSpan.FromHours(1));
        await next.StartAsync(CancellationToken.None);
        var done = await WaitForEndAsync(job.Id);
        await next.StopAsync(CancellationToken.None);

        Assert.Equal((JobStatus.Successful, 2), (done.Status, done.Attempts));
        Assert.Equal(2, _handler.Runs(job.Id));
    }

    /// <summary>Makes a job look accepted an hour ago, as one whose message was lost long since would be.</summary>
    private void BackDate(string id)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "jobs.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET created = created - 3600000 WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private async Task<JobRecord> CreateWithoutMessageAsync(string inputs = "{}") =>
        (await _store.CreateAsync(new NewJob(CountingHandler.JobType, inputs), CancellationToken.None)).Job;

    [Fact]
    public async Task A_job_whose_message_never_came_is_found_in_the_store()
    {
        // Created as a submission whose publish was lost would leave it: accepted, with no message.
        var job = await CreateWithoutMessageAsync();
        BackDate(job.Id);

        var done = await WaitForEndAsync(job.Id);

        Assert.Equal(JobStatus.Successful, done.Status);
        Assert.Equal(1, _handler.Runs(job.Id));
    }

    // The sweep used to take every accepted job, even one accepted a moment ago whose message was on its way.
    [Fact]
    public async Task A_job_accepted_moments_ago_is_left_to_its_message()
    {
        var job = await CreateWithoutMessageAsync();

        await Task.Delay(TimeSpan.FromSeconds(1)); // ten sweeps
        var waiting = await _store.GetAsync(job.Id, CancellationToken.None);
        await _bus.PublishAsync(JobQueue.Queue, Encoding.UTF8.GetBytes(job.Id), null, CancellationToken.None);
        var done = await WaitForEndAsync(job.Id);

        Assert.Equal(JobStatus.Accepted, waiting!.Status);
        Assert.Equal((JobStatus.Successful, 1), (done.Status, done.Attempts));
        Assert.Equal(1, _handler.Runs(job.Id));
    }

    // The sweep used to run what it found at once, beside the delivered jobs: Worker:Concurrency + 1 at a time.
    [Fact]
    public async Task A_swept_job_waits_for_a_free_slot()
    {
        var held = await SubmitAsync(CountingHandler.Hold);
        await _handler.Started(held.Id).WaitAsync(TimeSpan.FromMinutes(1));
        var stranded = await CreateWithoutMessageAsync();
        BackDate(stranded.Id);

        await Task.Delay(TimeSpan.FromSeconds(1)); // ten sweeps
        var waiting = await _store.GetAsync(stranded.Id, CancellationToken.None);
        _handler.Release();
        var done = await WaitForEndAsync(stranded.Id);

        Assert.Equal(JobStatus.Accepted, waiting!.Status);
        Assert.Equal(JobStatus.Successful, done.Status);
        Assert.Equal(1, _handler.MostAtOnce);
    }

    /// <summary>
    /// Succeeds with its inputs as results, counting the runs of each job and the most run at once; a job with the
    /// inputs <see cref="Hold"/> waits for <see cref="Release"/>.
    /// </summary>
    private sealed class CountingHandler : IJobHandler
    {
        public const string JobType = "count";

        public const string Hold = """{"hold":true}""";

        private readonly ConcurrentDictionary<string, int> _runs = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancelled = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _mostAtOnce;

        public string Type => JobType;

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public int Runs(string id) => _runs.GetValueOrDefault(id);

        public Task Started(string id) => StartedSource(id).Task;

        public Task Cancelled(string id) => Source(_cancelled, id).Task;

        public void Release() => _released.TrySetResult();

        public async Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
        {
            var running = Interlocked.Increment(ref _running);
            try
            {
                for (var most = MostAtOnce; running > most; most = MostAtOnce) Interlocked.CompareExchange(ref _mostAtOnce, running, most);
                _runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                StartedSource(job.Id).TrySetResult();
                if (job.Inputs == Hold) await _released.Task.WaitAsync(cancellationToken);
                return JobOutcome.Succeeded(null, job.Inputs);
            }
            catch (OperationCanceledException)
            {
                Source(_cancelled, job.Id).TrySetResult();
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private TaskCompletionSource StartedSource(string id) => Source(_started, id);

        private static TaskCompletionSource Source(ConcurrentDictionary<string, TaskCompletionSource> sources, string id) =>
            sources.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
