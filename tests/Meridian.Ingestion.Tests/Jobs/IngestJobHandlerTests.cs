using System.Globalization;
using System.Text.Json;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Ingestion.Jobs;
using Meridian.Storage.Caching;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Meridian.Storage.Querying;
using Meridian.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Ingestion.Tests.Jobs;

/// <summary>
/// Ingest jobs from an object of the object store to the embedded store: the collection version is bumped once
/// for a committed load and never for a failed or cancelled one, which leaves the collection as it was.
/// </summary>
public sealed class IngestJobHandlerTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly LocalObjectStore _objects;
    private readonly GeoPackageDirectoryStore _store;
    private readonly InMemoryCollectionVersions _versions = new();
    private readonly IngestJobHandler _handler;

    public IngestJobHandlerTests()
    {
        _objects = new LocalObjectStore(Path.Combine(_data.Path, "objects"));
        _store = new GeoPackageDirectoryStore(Path.Combine(_data.Path, "features"), NullLogger.Instance);
        _handler = new IngestJobHandler(_objects, new CollectionHome(_store), _versions, IngestLimits.From(new IngestOptions()));
    }

    public void Dispose() => _data.Dispose();

    private async Task<JobRecord> JobAsync(string path, string mode)
    {
        var key = DataLakeZones.NewKey(DataLakeZones.Raw, DateTimeOffset.UtcNow, Path.GetFileName(path));
        await using (var file = File.OpenRead(path)) await _objects.PutAsync(key, file, CancellationToken.None);
        var inputs = JsonSerializer.Serialize(new IngestJobInputs { Object = key.Value, Collection = "target", Mode = Enum.Parse<IngestMode>(mode, true) }, IngestJobInputs.Json);
        var now = DateTimeOffset.UtcNow;
        return new JobRecord(Guid.NewGuid().ToString("N"), IngestJobHandler.JobType, JobStatus.Running, inputs, null, null, null, null, null, 1, now, now, null, now);
    }

    private async Task<long> CountAsync()
    {
        var found = (await _store.GetCollectionsAsync(CancellationToken.None)).SingleOrDefault(c => c.Schema.Id == "target");
        return found is null ? -1 : await found.CountAsync(new FeatureQuery(), CancellationToken.None);
    }

    private sealed class Reports(Action<JobProgress>? onReport = null) : IProgress<JobProgress>
    {
        public void Report(JobProgress value) => onReport?.Invoke(value);
    }

    /// <summary>A GeoJSON file of that many points, large enough for a load to be interrupted half-way.</summary>
    private string Points(int count)
    {
        var path = Path.Combine(_data.Path, $"points{count}.geojson");
        using var writer = new StreamWriter(path);
        writer.Write("""{"type":"FeatureCollection","features":[""");
        for (var i = 0; i < count; i++)
        {
            writer.Write(i == 0 ? "" : ",");
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $$$"""{"type":"Feature","properties":{"n":{{{i}}}},"geometry":{"type":"Point","coordinates":[{{{i % 360 - 180}}},{{{i % 180 - 90}}}]}}"""));
        }
        writer.Write("]}");
        return path;
    }

    [Theory]
    [InlineData("create")]
    [InlineData("replace")]
    public async Task A_committed_load_bumps_the_collection_version_once(string mode)
    {
        var outcome = await _handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), mode), new Reports(), CancellationToken.None);

        Assert.Equal(JobStatus.Successful, outcome.Status);
        Assert.Equal(1, await _versions.GetAsync("target", CancellationToken.None));
        Assert.Equal(177, await CountAsync());
    }

    [Fact]
    public async Task The_progress_reported_when_the_job_ends_is_its_final_count()
    {
        JobProgress? last = null;

        var outcome = await _handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), "create"),
            new Reports(p => last = p), CancellationToken.None);
        // What the worker records as the job's details once the handler returns: a report arriving later is lost.
        var recorded = last;

        Assert.Equal(JobStatus.Successful, outcome.Status);
        using var details = JsonDocument.Parse(recorded!.Details!);
        Assert.Equal(177, details.RootElement.GetProperty("read").GetInt64());
        Assert.Equal(177, details.RootElement.GetProperty("loaded").GetInt64());
    }

    [Fact]
    public async Task A_replace_swaps_the_contents_and_a_failed_one_leaves_them()
    {
        await _handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "create"), new Reports(), CancellationToken.None);

        var replaced = await _handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), "replace"), new Reports(), CancellationToken.None);
        var failed = await _handler.RunAsync(await JobAsync(TestData.Path("broken/truncated_mid_coordinate.geojson"), "replace"), new Reports(), CancellationToken.None);

        Assert.Equal(JobStatus.Successful, replaced.Status);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("nothing was loaded", failed.Message);
        Assert.Equal(177, await CountAsync());
        Assert.Equal(2, await _versions.GetAsync("target", CancellationToken.None));
    }

    [Fact]
    public async Task Every_ingest_loaded_or_failed_is_an_analytics_event()
    {
        using var meters = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider();
        var analytics = new Hosting.Analytics.AnalyticsEvents(new MeridianOptions(),
            meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var handler = new IngestJobHandler(_objects, new CollectionHome(_store), _versions, IngestLimits.From(new IngestOptions()), analytics);

        await handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), "create"), new Reports(), CancellationToken.None);
        await handler.RunAsync(await JobAsync(TestData.Path("broken/truncated_mid_coordinate.geojson"), "replace"), new Reports(), CancellationToken.None);

        Assert.True(analytics.Reader.TryRead(out var loaded));
        Assert.Equal(("target", "successful", 177L, 177L, 0L), (loaded.Collection, loaded.Outcome, loaded.FeaturesRead, loaded.FeaturesLoaded, loaded.FeaturesRejected));
        Assert.Equal("geojson", loaded.Format);
        Assert.True(loaded.Bytes > 0);
        Assert.True(analytics.Reader.TryRead(out var failed));
        Assert.Equal(("target", "failed", null), (failed.Collection, failed.Outcome, failed.FeaturesLoaded));
    }

    [Fact]
    public async Task An_append_whose_properties_the_collection_lacks_fails_naming_them()
    {
        await _handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "create"), new Reports(), CancellationToken.None);

        var outcome = await _handler.RunAsync(await JobAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), "append"), new Reports(), CancellationToken.None);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("has no column(s)", outcome.Message);
        Assert.Contains("nothing was loaded", outcome.Message);
        Assert.Equal(13, await CountAsync());
    }

    [Theory]
    [InlineData("create", -1)]
    [InlineData("append", 13)]
    [InlineData("replace", 13)]
    public async Task A_load_cancelled_while_loading_leaves_the_collection_as_it_was(string mode, long expected)
    {
        if (mode != "create") await _handler.RunAsync(await JobAsync(Points(13), "create"), new Reports(), CancellationToken.None);
        var version = await _versions.GetAsync("target", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var job = await JobAsync(Points(100_000), mode);

        // The first report with staged records comes from the load pass, 10,000 records into its transaction (none is
        // loaded before it commits).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _handler.RunAsync(job,
            new Reports(p => { if (p.Details?.Contains("\"staged\":0,", StringComparison.Ordinal) == false) cancel.Cancel(); }), cancel.Token));

        Assert.Equal(expected, await CountAsync());
        Assert.Equal(version, await _versions.GetAsync("target", CancellationToken.None));
    }
}
