using Meridian.Storage.Jobs;
using Meridian.Storage.PostGis.Jobs;
using Meridian.Storage.Tests.Jobs;
using Meridian.Testing;
using Npgsql;

namespace Meridian.Storage.Tests.PostGis.Jobs;

public sealed class PostgresJobStoreFixture : IAsyncLifetime
{
    private PostGisTestDatabase _database = null!;

    public PostgresJobStore Store { get; private set; } = null!;

    public string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await PostGisTestDatabase.CreateAsync();
        Store = new PostgresJobStore(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class PostgresJobStoreTests(PostgresJobStoreFixture fixture) : JobStoreContract, IClassFixture<PostgresJobStoreFixture>
{
    protected override IJobStore Store => fixture.Store;

    [Fact]
    public async Task Two_processes_sharing_the_database_see_the_same_jobs()
    {
        await using var other = new PostgresJobStore(fixture.ConnectionString);
        var job = (await Store.CreateAsync(new NewJob("shared-" + Guid.NewGuid().ToString("N"), "{}"), CancellationToken.None)).Job;

        var claimed = await other.ClaimAsync([job.Type], "other-process", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(job.Id, claimed!.Id);
        Assert.Equal(JobStatus.Running, (await Store.GetAsync(job.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Large_results_are_stored_with_lz4_even_in_a_table_made_before_and_read_back_whole()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            // The table as an earlier version made it: pglz, the server's default.
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("""
                CREATE SCHEMA meridian;
                CREATE TABLE meridian.jobs (
                    id text PRIMARY KEY, type text NOT NULL, status text NOT NULL, inputs text NOT NULL,
                    idempotency_key text UNIQUE, message text, percent integer, details text, results text,
                    attempts integer NOT NULL DEFAULT 0, worker text, lease_until timestamptz,
                    created timestamptz NOT NULL DEFAULT clock_timestamp(), started timestamptz, finished timestamptz,
                    updated timestamptz NOT NULL DEFAULT clock_timestamp());
                """, connection);
            await create.ExecuteNonQueryAsync();
        }
        await using var store = new PostgresJobStore(database.ConnectionString);
        var results = "[" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $$"""{"n":{{i}},"buffered":true}""")) + "]";
        var job = (await store.CreateAsync(new NewJob("large", "{}"), CancellationToken.None)).Job;
        await store.ClaimByIdAsync(job.Id, ["large"], "w", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.True(await store.FinishAsync(job.Id, "w", JobOutcome.Succeeded("done", results), CancellationToken.None));

        Assert.Equal(results, (await store.GetAsync(job.Id, CancellationToken.None))!.Results);
        await using var check = new NpgsqlConnection(database.ConnectionString);
        await check.OpenAsync();
        await using var compression = new NpgsqlCommand("SELECT pg_column_compression(results) FROM meridian.jobs WHERE id = $1", check)
        {
            Parameters = { new NpgsqlParameter { Value = job.Id } },
        };
        Assert.Equal("lz4", await compression.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Prepared_and_reused_on_one_connection_the_lifecycle_still_records_every_state_and_time()
    {
        // One connection: the statements are prepared on it and reused past the point where PostgreSQL may switch
        // to a generic plan.
        await using var store = new PostgresJobStore(fixture.ConnectionString + ";Maximum Pool Size=1");
        var type = "prepared-" + Guid.NewGuid().ToString("N")[..8];
        var oldest = (await store.CreateAsync(new NewJob(type, "{}"), CancellationToken.None)).Job;
        for (var i = 0; i < 12; i++)
        {
            var job = (await store.CreateAsync(new NewJob(type, $$"""{"n":{{i}}}"""), CancellationToken.None)).Job;

            var claimed = await store.ClaimByIdAsync(job.Id, [type], "w", TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.True(await store.FinishAsync(job.Id, "w", JobOutcome.Succeeded("done", $$"""{"n":{{i}}}"""), CancellationToken.None));

            var done = (await store.GetAsync(job.Id, CancellationToken.None))!;
            Assert.Equal((job.Id, JobStatus.Running, 1), (claimed!.Id, claimed.Status, claimed.Attempts));
            Assert.Equal((JobStatus.Successful, 100, $$"""{"n":{{i}}}"""), (done.Status, done.Percent, done.Results));
            Assert.True(done.Created <= done.Started && done.Started <= done.Finished && done.Finished <= done.Updated);
        }
        Assert.Equal(oldest.Id, (await store.ClaimAsync([type], "w", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None))!.Id);
    }
}
