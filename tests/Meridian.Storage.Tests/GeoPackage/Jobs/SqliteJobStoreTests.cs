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
        Assert.Equal(job.Id, (await reopened.ClaimAsync(["ingest"], "w", TimeSpan.FromMinutes(1), CancellationToken.None))!.Id);
    }
}
