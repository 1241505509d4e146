using Meridian.Storage.GeoPackage.Jobs;
using Meridian.Storage.Jobs;
using Meridian.Storage.Tests.Jobs;
using Meridian.Testing;

namespace Meridian.Storage.Tests.GeoPackage.Jobs;

public sealed class SqliteJobStoreTests : JobStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    public SqliteJobStoreTests() => Store = new SqliteJobStore(Path.Combine(_directory.Path, "jobs.db"));

    protected override IJobStore Store { get; }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Jobs_survive_a_restart()
    {
        var path = Path.Combine(_directory.Path, "restart.db");
        var job = (await new SqliteJobStore(path).CreateAsync(new NewJob("ingest", "{}"), CancellationToken.None)).Job;

        var reopened = new SqliteJobStore(path);

        Assert.Equal(JobStatus.Accepted, (await reopened.GetAsync(job.Id, CancellationToken.None))!.Status);
        Assert.Equal(job.Id, (await reopened.ClaimAsync(["ingest"], "w", TimeSpan.FromMinutes(1), TimeSpan.Zero, CancellationToken.None))!.Id);
    }

    // A jobs.db from before jobs had owners gains the column on opening; its jobs are public.
    [Fact]
    public async Task A_file_from_before_owners_is_upgraded_and_its_jobs_are_public()
    {
        var path = Path.Combine(_directory.Path, "old.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL, inputs TEXT NOT NULL,
                    idempotency_key TEXT UNIQUE, message TEXT, percent INTEGER, details TEXT, results TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0, worker TEXT, lease_until INTEGER,
                    created INTEGER NOT NULL, started INTEGER, finished INTEGER, updated INTEGER NOT NULL);
                INSERT INTO jobs (id, type, status, inputs, created, updated) VALUES ('old', 'ingest', 'successful', '{}', 1, 1);
                """;
            create.ExecuteNonQuery();
        }

        var store = new SqliteJobStore(path);

        Assert.Null((await store.GetAsync("old", CancellationToken.None))!.Owner);
        Assert.Equal(["old"], (await store.ListAsync(new JobQuery(10, Visibility: new JobVisibility("acme")), CancellationToken.None)).Select(j => j.Id));
        Assert.Equal("acme", (await store.CreateAsync(new NewJob("ingest", "{}", Owner: "acme"), CancellationToken.None)).Job.Owner);
    }
}
