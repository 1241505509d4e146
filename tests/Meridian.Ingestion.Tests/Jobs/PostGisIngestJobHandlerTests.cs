using System.Text.Json;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Ingestion.Jobs;
using Meridian.Storage.Caching;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Meridian.Storage.PostGis;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Ingestion.Tests.Jobs;

/// <summary>
/// Ingest jobs into PostGIS that the database refuses for a reason the user can act on: each fails its job naming
/// that reason (not as an internal error), and the collection stays as it was.
/// </summary>
public sealed class PostGisIngestJobHandlerTests(PostGisFixture fixture) : IClassFixture<PostGisFixture>, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _data = new();
    private PostGisFeatureStore _store = null!;
    private IngestJobHandler _handler = null!;
    private LocalObjectStore _objects = null!;

    public Task InitializeAsync()
    {
        _store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = fixture.Database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
        _objects = new LocalObjectStore(Path.Combine(_data.Path, "objects"));
        _handler = new IngestJobHandler(_objects, new CollectionHome(_store), new InMemoryCollectionVersions(), IngestLimits.From(new IngestOptions()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _data.Dispose();

    private async Task<JobOutcome> RunAsync(string file, string collection, IngestMode mode)
    {
        var key = DataLakeZones.NewKey(DataLakeZones.Raw, DateTimeOffset.UtcNow, Path.GetFileName(file));
        await using (var stream = File.OpenRead(TestData.Path(file))) await _objects.PutAsync(key, stream, CancellationToken.None);
        var inputs = JsonSerializer.Serialize(new IngestJobInputs { Object = key.Value, Collection = collection, Mode = mode }, IngestJobInputs.Json);
        var now = DateTimeOffset.UtcNow;
        var job = new JobRecord(Guid.NewGuid().ToString("N"), IngestJobHandler.JobType, JobStatus.Running, inputs, null, null, null, null, null, 1, now, now, null, now);
        return await _handler.RunAsync(job, new Progress<JobProgress>(), CancellationToken.None);
    }

    private Task<long> CountAsync(string table) => fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"");

    private const string Rivers = "naturalearth/ne_110m_rivers_lake_centerlines.geojson";
    private const string Countries = "naturalearth/ne_110m_admin_0_countries.geojson";

    [Fact]
    public async Task An_append_whose_properties_the_table_lacks_fails_naming_them()
    {
        await RunAsync(Rivers, "append_rivers", IngestMode.Create);

        var outcome = await RunAsync(Countries, "append_rivers", IngestMode.Append);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("has no column", outcome.Message);
        Assert.Contains("nothing was loaded", outcome.Message);
        Assert.Equal(13, await CountAsync("append_rivers"));
    }

    [Fact]
    public async Task A_replace_of_a_table_views_depend_on_fails_naming_why()
    {
        await RunAsync(Rivers, "viewed_rivers", IngestMode.Create);
        await fixture.Database.ExecuteAsync("CREATE VIEW viewed_rivers_names AS SELECT name FROM viewed_rivers");

        var outcome = await RunAsync(Countries, "viewed_rivers", IngestMode.Replace);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("depend on it", outcome.Message);
        Assert.Equal(13, await CountAsync("viewed_rivers"));
    }

    [Fact]
    public async Task A_collection_name_longer_than_a_postgres_identifier_fails_instead_of_being_cut_short()
    {
        var name = new string('r', 70);

        var outcome = await RunAsync(Rivers, name, IngestMode.Create);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("63 bytes", outcome.Message);
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'rrrr%'"));
    }
}
