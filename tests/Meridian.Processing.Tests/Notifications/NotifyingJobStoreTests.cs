using Meridian.Processing.Notifications;
using Meridian.Storage.GeoPackage.Jobs;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Notifications;

/// <summary>The job-store wrapper over the real SQLite job store: committed changes become pending deliveries, and recording never fails a job.</summary>
public sealed class NotifyingJobStoreTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly SubscriptionStore _subscriptions;
    private readonly NotifyingJobStore _store;

    public NotifyingJobStoreTests()
    {
        _subscriptions = new SubscriptionStore(new ReservedDocuments(new LocalObjectStore(Path.Combine(_data.Path, "objects"))));
        _store = new NotifyingJobStore(new SqliteJobStore(Path.Combine(_data.Path, "jobs.db")),
            new NotificationOutbox(_subscriptions, NullLogger<NotificationOutbox>.Instance));
    }

    public void Dispose() => _data.Dispose();

    private async Task<string> SubscribeAsync(params string[] topics)
    {
        var subscription = new Subscription(Guid.NewGuid().ToString("N"), "http://127.0.0.1:9/", topics, null, null, "secret-0123456789abcdef", DateTimeOffset.UtcNow);
        await _subscriptions.CreateAsync(subscription, CancellationToken.None);
        return subscription.Id;
    }

    [Fact]
    public async Task Each_committed_status_change_is_queued_in_order_and_a_repeated_create_is_not()
    {
        var id = await SubscribeAsync(NotificationTopics.All.ToArray());

        var (job, _) = await _store.CreateAsync(new NewJob("ingest", "{}", "key-1"), CancellationToken.None);
        await _store.CreateAsync(new NewJob("ingest", "{}", "key-1"), CancellationToken.None);
        await _store.ClaimAsync(["ingest"], "w1", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None);
        await _store.FinishAsync(job.Id, "w1", JobOutcome.Failed("bad file"), CancellationToken.None);
        await _store.DismissAsync(job.Id, CancellationToken.None);

        var pending = await _subscriptions.PendingAsync(id, CancellationToken.None);
        // Dismissing an ended job is a change too: it then reads as dismissed (OGC API – Processes /req/dismiss/job-dismiss-success).
        Assert.Equal(["job.accepted", "job.running", "job.failed", "job.dismissed"], pending.Select(p => p.Delivery.Event.Topic));
        Assert.Equal("bad file", pending[2].Delivery.Event.Job.Message);
    }

    [Fact]
    public async Task An_event_that_cannot_be_described_never_fails_the_job_change()
    {
        var id = await SubscribeAsync(NotificationTopics.JobAccepted);

        var (_, created) = await _store.CreateAsync(new NewJob("workflow", "not the inputs of a workflow"), CancellationToken.None);

        Assert.True(created);
        Assert.Empty(await _subscriptions.PendingAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Without_subscriptions_a_job_s_changes_never_read_it_back()
    {
        var reads = new ReadCountingJobStore(new SqliteJobStore(Path.Combine(_data.Path, "counted.db")));
        var store = new NotifyingJobStore(reads, new NotificationOutbox(_subscriptions, NullLogger<NotificationOutbox>.Instance));

        var (job, _) = await store.CreateAsync(new NewJob("ingest", "{}"), CancellationToken.None);
        await store.ClaimByIdAsync(job.Id, ["ingest"], "w1", TimeSpan.FromMinutes(1), CancellationToken.None);
        await store.FinishAsync(job.Id, "w1", JobOutcome.Succeeded("done", "{}"), CancellationToken.None);

        Assert.Equal(0, reads.Reads);
    }

    [Fact]
    public async Task A_claim_s_event_is_the_job_the_claim_committed_without_reading_it_back()
    {
        var id = await SubscribeAsync(NotificationTopics.JobRunning);
        var reads = new ReadCountingJobStore(new SqliteJobStore(Path.Combine(_data.Path, "counted.db")));
        var store = new NotifyingJobStore(reads, new NotificationOutbox(_subscriptions, NullLogger<NotificationOutbox>.Instance));
        var (job, _) = await store.CreateAsync(new NewJob("ingest", "{}"), CancellationToken.None);

        await store.ClaimByIdAsync(job.Id, ["ingest"], "w1", TimeSpan.FromMinutes(1), CancellationToken.None);

        var pending = await _subscriptions.PendingAsync(id, CancellationToken.None);
        Assert.Equal((job.Id, "running"), (pending.Single().Delivery.Event.Job.Id, pending.Single().Delivery.Event.Job.Status));
        Assert.Equal(0, reads.Reads);
    }

    /// <summary>The real store, counting the reads of one job (what recording an event used to cost every change).</summary>
    private sealed class ReadCountingJobStore(IJobStore inner) : IJobStore
    {
        public int Reads { get; private set; }

        public Task<(JobRecord Job, bool Created)> CreateAsync(NewJob job, CancellationToken cancellationToken) => inner.CreateAsync(job, cancellationToken);

        public Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken)
        {
            Reads++;
            return inner.GetAsync(id, cancellationToken);
        }

        public Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

        public Task<JobRecord?> ClaimAsync(IReadOnlyCollection<string> types, string workerId, TimeSpan lease, TimeSpan acceptedFor, CancellationToken cancellationToken) =>
            inner.ClaimAsync(types, workerId, lease, acceptedFor, cancellationToken);

        public Task<JobRecord?> ClaimByIdAsync(string id, IReadOnlyCollection<string> types, string workerId, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ClaimByIdAsync(id, types, workerId, lease, cancellationToken);

        public Task<bool> ReportAsync(string id, string workerId, JobProgress progress, TimeSpan lease, CancellationToken cancellationToken) =>
            inner.ReportAsync(id, workerId, progress, lease, cancellationToken);

        public Task<bool> ReleaseAsync(string id, string workerId, CancellationToken cancellationToken) => inner.ReleaseAsync(id, workerId, cancellationToken);

        public Task<bool> FinishAsync(string id, string workerId, JobOutcome outcome, CancellationToken cancellationToken) =>
            inner.FinishAsync(id, workerId, outcome, cancellationToken);

        public Task<JobStatus?> DismissAsync(string id, CancellationToken cancellationToken) => inner.DismissAsync(id, cancellationToken);
    }
}
