using Meridian.Storage.Jobs;

namespace Meridian.Storage.Tests.Jobs;

/// <summary>What every job store must do, run against SQLite and PostgreSQL.</summary>
public abstract class JobStoreContract
{
    protected abstract IJobStore Store { get; }

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    // Each test claims only its own type of job, so tests sharing a store never take each other's jobs.
    private readonly string _type = "test-" + Guid.NewGuid().ToString("N")[..8];

    private Task<JobRecord?> ClaimAsync(string worker, TimeSpan? lease = null, TimeSpan? acceptedFor = null) =>
        Store.ClaimAsync([_type], worker, lease ?? Lease, acceptedFor ?? TimeSpan.Zero, CancellationToken.None);

    private async Task<JobRecord> CreateAsync(string inputs = "{}", string? key = null) =>
        (await Store.CreateAsync(new NewJob(_type, inputs, key), CancellationToken.None)).Job;

    [Fact]
    public async Task A_new_job_is_accepted_with_its_inputs()
    {
        var job = await CreateAsync("""{"collection":"places"}""");

        var read = await Store.GetAsync(job.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(JobStatus.Accepted, read.Status);
        Assert.Equal("""{"collection":"places"}""", read.Inputs);
        Assert.Equal(_type, read.Type);
        Assert.Null(read.Started);
        Assert.Equal(0, read.Attempts);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_job()
    {
        var key = Guid.NewGuid().ToString();
        var (first, created) = await Store.CreateAsync(new NewJob(_type, "{\"n\":1}", key), CancellationToken.None);
        var (second, createdAgain) = await Store.CreateAsync(new NewJob(_type, "{\"n\":2}", key), CancellationToken.None);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("{\"n\":1}", second.Inputs);
        Assert.NotNull(await ClaimAsync("w"));
        Assert.Null(await ClaimAsync("w"));
    }

    // With tenants, a job belongs to the tenant that submitted it: the list shows a tenant its own and the public jobs
    // (an anonymous caller only the public ones), and an idempotency key is the tenant's own.
    [Fact]
    public async Task Jobs_keep_their_owner_and_lists_show_each_tenant_its_own_and_the_public_ones()
    {
        var key = Guid.NewGuid().ToString();
        var acme = (await Store.CreateAsync(new NewJob(_type, "{}", key, "acme"), CancellationToken.None)).Job;
        var (globex, created) = await Store.CreateAsync(new NewJob(_type, "{}", key, "globex"), CancellationToken.None);
        var open = await CreateAsync();

        Assert.True(created);
        Assert.NotEqual(acme.Id, globex.Id);
        Assert.Equal("acme", (await Store.GetAsync(acme.Id, CancellationToken.None))!.Owner);
        Assert.Null(open.Owner);
        async Task<HashSet<string>> Listed(JobVisibility? visibility) =>
            (await Store.ListAsync(new JobQuery(100, Types: [_type], Visibility: visibility), CancellationToken.None)).Select(j => j.Id).ToHashSet();
        Assert.Equal([acme.Id, open.Id], await Listed(new JobVisibility("acme")));
        Assert.Equal([open.Id], await Listed(new JobVisibility(null)));
        Assert.Equal([acme.Id, globex.Id, open.Id], await Listed(null));
        Assert.Equal(acme.Id, (await Store.CreateAsync(new NewJob(_type, "{}", key, "acme"), CancellationToken.None)).Job.Id);
    }

    [Fact]
    public async Task Jobs_are_claimed_oldest_first_and_only_once()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();

        var a = await ClaimAsync("worker-a");
        var b = await ClaimAsync("worker-b");
        var none = await ClaimAsync("worker-c");

        Assert.Equal(first.Id, a!.Id);
        Assert.Equal(second.Id, b!.Id);
        Assert.Null(none);
        Assert.Equal(JobStatus.Running, a.Status);
        Assert.NotNull(a.Started);
        Assert.Equal(1, a.Attempts);
    }

    [Fact]
    public async Task Concurrent_workers_never_claim_the_same_job()
    {
        for (var i = 0; i < 20; i++) await CreateAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await ClaimAsync($"worker-{w}") is { } job) mine.Add(job.Id);
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count());
    }

    // A worker's sweep must leave a job whose message may still be on its way to that message's delivery.
    [Fact]
    public async Task A_sweep_claims_an_accepted_job_only_once_it_is_old_enough_and_a_delivery_claims_it_at_once()
    {
        var job = await CreateAsync();

        var early = await ClaimAsync("sweeper", acceptedFor: TimeSpan.FromHours(1));
        await Task.Delay(50);
        var late = await ClaimAsync("sweeper", acceptedFor: TimeSpan.FromMilliseconds(10));
        var fresh = await CreateAsync();
        var delivered = await ClaimByIdAsync(fresh.Id, "delivery");

        Assert.Null(early);
        Assert.Equal(job.Id, late!.Id);
        Assert.Equal(fresh.Id, delivered!.Id);
    }

    // However young the job, a running one whose worker died is the sweep's at once: its message was consumed already.
    [Fact]
    public async Task A_sweep_claims_a_job_whose_lease_expired_whatever_its_age()
    {
        var job = await CreateAsync();
        await ClaimAsync("dead-worker", TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);

        var reclaimed = await ClaimAsync("sweeper", acceptedFor: TimeSpan.FromHours(1));

        Assert.Equal((job.Id, 2), (reclaimed!.Id, reclaimed.Attempts));
    }

    [Fact]
    public async Task A_job_whose_lease_expired_is_claimed_again()
    {
        var job = await CreateAsync();
        await ClaimAsync("dead-worker", TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);

        var reclaimed = await ClaimAsync("live-worker");

        Assert.Equal(job.Id, reclaimed!.Id);
        Assert.Equal(2, reclaimed.Attempts);
        Assert.False(await Store.FinishAsync(job.Id, "dead-worker", JobOutcome.Succeeded(null, null), CancellationToken.None));
        Assert.True(await Store.FinishAsync(job.Id, "live-worker", JobOutcome.Succeeded("done", "{}"), CancellationToken.None));
    }

    private Task<JobRecord?> ClaimByIdAsync(string id, string worker, TimeSpan? lease = null) =>
        Store.ClaimByIdAsync(id, [_type], worker, lease ?? Lease, CancellationToken.None);

    [Fact]
    public async Task A_job_is_claimed_by_its_id_whatever_its_place_in_the_queue()
    {
        var older = await CreateAsync();
        var newer = await CreateAsync();

        var claimed = await ClaimByIdAsync(newer.Id, "w");

        Assert.Equal(newer.Id, claimed!.Id);
        Assert.Equal((JobStatus.Running, 1), (claimed.Status, claimed.Attempts));
        Assert.Equal(older.Id, (await ClaimAsync("w"))!.Id);
    }

    [Fact]
    public async Task A_job_is_claimed_by_its_id_only_while_nobody_holds_a_live_claim()
    {
        var job = await CreateAsync();
        var expiring = await CreateAsync();
        var ended = await CreateAsync();
        var dismissed = await CreateAsync();
        await ClaimByIdAsync(job.Id, "first");
        await ClaimByIdAsync(expiring.Id, "dead-worker", TimeSpan.FromMilliseconds(1));
        await ClaimByIdAsync(ended.Id, "first");
        await Store.FinishAsync(ended.Id, "first", JobOutcome.Succeeded(null, null), CancellationToken.None);
        await Store.DismissAsync(dismissed.Id, CancellationToken.None);
        await Task.Delay(50);

        Assert.Null(await ClaimByIdAsync(job.Id, "second"));
        Assert.Null(await ClaimByIdAsync(ended.Id, "second"));
        Assert.Null(await ClaimByIdAsync(dismissed.Id, "second"));
        Assert.Null(await ClaimByIdAsync("no-such-job", "second"));
        Assert.Null(await Store.ClaimByIdAsync(job.Id, ["another-type"], "second", Lease, CancellationToken.None));
        var reclaimed = await ClaimByIdAsync(expiring.Id, "second");
        Assert.Equal(2, reclaimed!.Attempts);
        Assert.False(await Store.FinishAsync(expiring.Id, "dead-worker", JobOutcome.Succeeded(null, null), CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_id_give_it_to_one_worker()
    {
        var job = await CreateAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => ClaimByIdAsync(job.Id, $"worker-{w}"))));

        Assert.Single(claims, c => c is not null);
    }

    // A stopping worker gives its job back: the sweep takes it at once, though a young accepted job would wait out its grace.
    [Fact]
    public async Task A_released_job_is_claimed_by_the_sweep_at_once_and_keeps_its_progress()
    {
        var job = await CreateAsync();
        await ClaimByIdAsync(job.Id, "stopping-worker");
        Assert.True(await Store.ReportAsync(job.Id, "stopping-worker", new JobProgress("halfway", 50, null), Lease, CancellationToken.None));

        Assert.True(await Store.ReleaseAsync(job.Id, "stopping-worker", CancellationToken.None));
        var released = await Store.GetAsync(job.Id, CancellationToken.None);
        var swept = await ClaimAsync("sweeper", acceptedFor: TimeSpan.FromHours(1));

        Assert.Equal((JobStatus.Running, 50, "halfway"), (released!.Status, released.Percent, released.Message));
        Assert.Equal((job.Id, JobStatus.Running, 2), (swept!.Id, swept.Status, swept.Attempts));
        Assert.True(await Store.FinishAsync(job.Id, "sweeper", JobOutcome.Succeeded(null, null), CancellationToken.None));
    }

    [Fact]
    public async Task A_released_job_is_claimed_by_its_id_at_once_and_its_old_worker_has_lost_it()
    {
        var job = await CreateAsync();
        await ClaimAsync("stopping-worker");

        Assert.True(await Store.ReleaseAsync(job.Id, "stopping-worker", CancellationToken.None));

        // Released, not yet claimed: the old worker's late heartbeat or outcome must not take it back.
        Assert.False(await Store.ReportAsync(job.Id, "stopping-worker", new JobProgress(null, 60, null), Lease, CancellationToken.None));
        Assert.False(await Store.FinishAsync(job.Id, "stopping-worker", JobOutcome.Succeeded(null, null), CancellationToken.None));
        Assert.False(await Store.ReleaseAsync(job.Id, "stopping-worker", CancellationToken.None));
        var delivered = await ClaimByIdAsync(job.Id, "next-worker");
        Assert.Equal((job.Id, 2), (delivered!.Id, delivered.Attempts));
        Assert.Null(await ClaimByIdAsync(job.Id, "third-worker"));
        Assert.False(await Store.ReleaseAsync(job.Id, "stopping-worker", CancellationToken.None));
        Assert.True(await Store.ReportAsync(job.Id, "next-worker", new JobProgress(null, 10, null), Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_worker_holding_a_running_job_releases_it()
    {
        var held = await CreateAsync();
        var accepted = await CreateAsync();
        var finished = await CreateAsync();
        var dismissed = await CreateAsync();
        await ClaimByIdAsync(held.Id, "owner");
        await ClaimByIdAsync(finished.Id, "owner");
        Assert.True(await Store.FinishAsync(finished.Id, "owner", JobOutcome.Failed("no"), CancellationToken.None));
        await ClaimByIdAsync(dismissed.Id, "owner");
        await Store.DismissAsync(dismissed.Id, CancellationToken.None);
        var before = await Store.GetAsync(held.Id, CancellationToken.None);

        Assert.False(await Store.ReleaseAsync(held.Id, "another-worker", CancellationToken.None));
        Assert.False(await Store.ReleaseAsync(accepted.Id, "owner", CancellationToken.None));
        Assert.False(await Store.ReleaseAsync(finished.Id, "owner", CancellationToken.None));
        Assert.False(await Store.ReleaseAsync(dismissed.Id, "owner", CancellationToken.None));
        Assert.False(await Store.ReleaseAsync("no-such-job", "owner", CancellationToken.None));

        Assert.Equal(before, await Store.GetAsync(held.Id, CancellationToken.None));
        Assert.Null(await ClaimByIdAsync(held.Id, "another-worker"));
        Assert.Equal(JobStatus.Accepted, (await Store.GetAsync(accepted.Id, CancellationToken.None))!.Status);
        Assert.Equal(JobStatus.Failed, (await Store.GetAsync(finished.Id, CancellationToken.None))!.Status);
        Assert.Equal(JobStatus.Dismissed, (await Store.GetAsync(dismissed.Id, CancellationToken.None))!.Status);
        Assert.True(await Store.ReportAsync(held.Id, "owner", new JobProgress(null, 1, null), Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Progress_and_the_outcome_are_recorded()
    {
        var job = await CreateAsync();
        await ClaimAsync("w");

        Assert.True(await Store.ReportAsync(job.Id, "w", new JobProgress("reading", 40, """{"read":400}"""), Lease, CancellationToken.None));
        var running = await Store.GetAsync(job.Id, CancellationToken.None);
        Assert.True(await Store.FinishAsync(job.Id, "w", JobOutcome.Succeeded("loaded 1000", """{"loaded":1000}"""), CancellationToken.None));
        var done = await Store.GetAsync(job.Id, CancellationToken.None);

        Assert.Equal((40, "reading", """{"read":400}"""), (running!.Percent, running.Message, running.Details));
        Assert.Equal(JobStatus.Successful, done!.Status);
        Assert.Equal(100, done.Percent);
        Assert.Equal("""{"loaded":1000}""", done.Results);
        Assert.NotNull(done.Finished);
        Assert.True(done.HasEnded);
    }

    [Fact]
    public async Task A_failed_job_keeps_its_message()
    {
        var job = await CreateAsync();
        await ClaimAsync("w");

        await Store.FinishAsync(job.Id, "w", JobOutcome.Failed("the file is empty"), CancellationToken.None);

        var failed = await Store.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal((JobStatus.Failed, "the file is empty"), (failed!.Status, failed.Message));
        Assert.Null(await ClaimAsync("w"));
    }

    [Fact]
    public async Task Dismissing_stops_a_job_and_its_worker_loses_it()
    {
        var accepted = await CreateAsync();
        var running = await CreateAsync();
        Assert.Equal(accepted.Id, (await ClaimAsync("w"))!.Id);

        // Each dismissal says what it ended: the first job created was claimed (running), the second was not.
        Assert.Equal(JobStatus.Accepted, await Store.DismissAsync(running.Id, CancellationToken.None));
        Assert.Equal(JobStatus.Running, await Store.DismissAsync(accepted.Id, CancellationToken.None));

        Assert.False(await Store.ReportAsync(accepted.Id, "w", new JobProgress(null, 50, null), Lease, CancellationToken.None));
        Assert.False(await Store.FinishAsync(accepted.Id, "w", JobOutcome.Succeeded(null, null), CancellationToken.None));
        Assert.Null(await ClaimAsync("w"));
        Assert.Null(await Store.DismissAsync(accepted.Id, CancellationToken.None));
        Assert.Equal(JobStatus.Dismissed, (await Store.GetAsync(accepted.Id, CancellationToken.None))!.Status);
    }

    // OGC API – Processes /req/dismiss/job-dismiss-success: a dismissed job's status is "dismissed", whatever state it was in.
    [Fact]
    public async Task Dismissing_an_ended_job_drops_its_results_and_keeps_its_times()
    {
        var job = await CreateAsync();
        await ClaimAsync("w");
        Assert.True(await Store.FinishAsync(job.Id, "w", JobOutcome.Succeeded("done", """{"result":1}"""), CancellationToken.None));
        var finished = (await Store.GetAsync(job.Id, CancellationToken.None))!.Finished;

        Assert.Equal(JobStatus.Successful, await Store.DismissAsync(job.Id, CancellationToken.None));
        var dismissed = (await Store.GetAsync(job.Id, CancellationToken.None))!;

        Assert.Equal(JobStatus.Dismissed, dismissed.Status);
        Assert.Null(dismissed.Results);
        Assert.Equal(finished, dismissed.Finished);
        Assert.Null(await Store.DismissAsync(job.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_jobs_are_null_or_false()
    {
        Assert.Null(await Store.GetAsync("no-such-job", CancellationToken.None));
        Assert.Null(await Store.DismissAsync("no-such-job", CancellationToken.None));
    }

    [Fact]
    public async Task Listing_shows_recent_jobs_first()
    {
        var older = await CreateAsync();
        await Task.Delay(5);
        var newer = await CreateAsync();

        var listed = (await Store.ListAsync(new JobQuery(1000), CancellationToken.None)).Select(j => j.Id).ToList();

        Assert.True(listed.IndexOf(newer.Id) < listed.IndexOf(older.Id));
    }

    private async Task<List<string>> ListAsync(JobQuery query) =>
        (await Store.ListAsync(query, CancellationToken.None)).Select(j => j.Id).ToList();

    // OGC API – Processes /req/job-list/processID-response, /req/job-list/status-response, /req/job-list/limit-response.
    [Fact]
    public async Task Listing_filters_by_type_and_status_a_page_at_a_time()
    {
        var running = await CreateAsync();
        await ClaimAsync("w");
        var accepted = await CreateAsync();
        var other = (await Store.CreateAsync(new NewJob(_type + "-other", "{}"), CancellationToken.None)).Job;

        Assert.Equal([accepted.Id, running.Id], await ListAsync(new JobQuery(10, Types: [_type])));
        Assert.Equal([other.Id, accepted.Id, running.Id], await ListAsync(new JobQuery(10, Types: [_type, other.Type])));
        Assert.Equal([running.Id], await ListAsync(new JobQuery(10, Types: [_type], Statuses: [JobStatus.Running])));
        Assert.Equal([accepted.Id, running.Id], await ListAsync(new JobQuery(10, Types: [_type], Statuses: [JobStatus.Running, JobStatus.Accepted])));
        Assert.Empty(await ListAsync(new JobQuery(10, Types: [_type], Statuses: [JobStatus.Failed])));
        Assert.Equal([accepted.Id], await ListAsync(new JobQuery(1, Types: [_type])));
        Assert.Equal([running.Id], await ListAsync(new JobQuery(1, Offset: 1, Types: [_type])));
        Assert.Empty(await ListAsync(new JobQuery(1, Offset: 2, Types: [_type])));
    }

    // /req/job-list/datetime-response: the created time intersects the interval.
    [Fact]
    public async Task Listing_filters_by_creation_time()
    {
        var job = await CreateAsync();
        var created = (await Store.GetAsync(job.Id, CancellationToken.None))!.Created;
        var hour = TimeSpan.FromHours(1);

        Assert.Equal([job.Id], await ListAsync(new JobQuery(10, Types: [_type], Created: new(created - hour, created + hour))));
        Assert.Equal([job.Id], await ListAsync(new JobQuery(10, Types: [_type], Created: new(null, created + hour))));
        Assert.Empty(await ListAsync(new JobQuery(10, Types: [_type], Created: new(created + hour, null))));
        Assert.Empty(await ListAsync(new JobQuery(10, Types: [_type], Created: new(null, created - hour))));
    }

    // /req/job-list/duration-response: finished minus started, or now minus started while running; never started is left out.
    [Fact]
    public async Task Listing_filters_by_duration_and_leaves_out_jobs_never_started()
    {
        var finished = await CreateAsync();
        await ClaimAsync("w");
        Assert.True(await Store.FinishAsync(finished.Id, "w", JobOutcome.Succeeded(null, null), CancellationToken.None));
        var running = await CreateAsync();
        await ClaimAsync("w");
        await CreateAsync();
        var day = TimeSpan.FromDays(1);

        Assert.Equal([running.Id, finished.Id], await ListAsync(new JobQuery(10, Types: [_type], MinDuration: TimeSpan.Zero)));
        Assert.Equal([running.Id, finished.Id], await ListAsync(new JobQuery(10, Types: [_type], MaxDuration: day)));
        Assert.Empty(await ListAsync(new JobQuery(10, Types: [_type], MinDuration: day)));
        Assert.Equal([finished.Id], await ListAsync(new JobQuery(10, Types: [_type], Statuses: [JobStatus.Successful], MinDuration: TimeSpan.Zero, MaxDuration: day)));
    }

    [Fact]
    public async Task Hostile_inputs_are_stored_verbatim()
    {
        var inputs = """{"collection":"x'); DROP TABLE jobs; --"}""";
        var job = await CreateAsync(inputs, key: "k'; DELETE FROM jobs; --" + Guid.NewGuid());

        Assert.Equal(inputs, (await Store.GetAsync(job.Id, CancellationToken.None))!.Inputs);
    }
}
