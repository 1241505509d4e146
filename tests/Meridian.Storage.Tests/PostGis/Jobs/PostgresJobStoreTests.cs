using Meridian.Storage.Jobs;
using Meridian.Storage.PostGis.Jobs;
using Meridian.Storage.Tests.Jobs;
using Meridian.Testing;

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

        var claimed = await other.ClaimAsync([job.Type], "other-process", TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(job.Id, claimed!.Id);
        Assert.Equal(JobStatus.Running, (await Store.GetAsync(job.Id, CancellationToken.None))!.Status);
    }
}
