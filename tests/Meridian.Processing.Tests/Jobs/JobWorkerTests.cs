using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using System.Diagnostics.Metrics;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Telemetry;
using Meridian.Messaging;
using Meridian.Messaging.Sqlite;
using Meridian.Processing.Jobs;
using Meridian.Storage.GeoPackage.Jobs;
using Meridian.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Jobs;

/// <summary>
/// The worker on the embedded store and bus (real SQLite files): jobs submitted through <see cref="JobQueue"/> run
/// once, duplicates and garbage on the queue do no harm, and a job whose message never came is still run.
/// </summary>
public sealed class JobWorkerTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly CountingHandler _handler = new();
    private SqliteJobStore _store = null!;
    private SqliteMessageBus _bus = null!;
    private JobQueue _queue = null!;
    private JobWorker _worker = null!;
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public async Task InitializeAsync()
    {
        _store = new SqliteJobStore(Path.Combine(_data.Path, "jobs.db"));
        _bus = new SqliteMessageBus(Path.Combine(_data.Path, "messages.db"), new RetryPolicy(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));
        _queue = new JobQueue(_store, _bus, NullLogger<JobQueue>.Instance);
        // One at a time: the queue is then handled in order, so a job submitted last proves the earlier messages were handled.
        var options = new MeridianOptions { Worker = { Concurrency = 1 } };
        _worker = new JobWorker(_store, _bus, [_handler], options, new GeospatialMetrics(_metrics.GetRequiredService<IMeterFactory>()),
            NullLogger<JobWorker>.Instance);
        await _worker.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        await _bus.DisposeAsync();
        await _metrics.DisposeAsync();
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

    [Fact]
    public async Task A_job_whose_message_never_came_is_found_in_the_store()
    {
        // Created as a submission whose publish was lost would leave it: accepted, with no message.
        var (job, _) = await _store.CreateAsync(new NewJob(CountingHandler.JobType, "{}"), CancellationToken.None);

        var done = await WaitForEndAsync(job.Id);

        Assert.Equal(JobStatus.Successful, done.Status);
        Assert.Equal(1, _handler.Runs(job.Id));
    }

    /// <summary>Succeeds with its inputs as results, counting the runs of each job.</summary>
    private sealed class CountingHandler : IJobHandler
    {
        public const string JobType = "count";

        private readonly ConcurrentDictionary<string, int> _runs = new();

        public string Type => JobType;

        public int Runs(string id) => _runs.GetValueOrDefault(id);

        public Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
        {
            _runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            return Task.FromResult(JobOutcome.Succeeded(null, job.Inputs));
        }
    }
}
