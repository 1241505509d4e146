using System.Globalization;
using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Streaming;
using Meridian.Storage.PostGis;
using Meridian.Storage.Schema;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Ingestion.Tests.Streaming;

/// <summary>
/// Ingests into PostGIS, whose load takes the records while the file is read: a schema learnt late (a wider type,
/// a new property) gives the table and values a full first pass would, and a failed or cancelled load leaves nothing.
/// </summary>
public sealed class StreamedLoadTests(PostGisFixture fixture) : IClassFixture<PostGisFixture>, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _files = new();
    private PostGisFeatureStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = fixture.Database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _files.Dispose();

    /// <summary>A GeoJSON file of <paramref name="count"/> points, the properties of record n given by <paramref name="properties"/> as JSON members.</summary>
    private string PointsFile(string name, int count, Func<int, string> properties)
    {
        var path = Path.Combine(_files.Path, name + ".geojson");
        var json = new StringBuilder("""{"type":"FeatureCollection","features":[""");
        for (var n = 1; n <= count; n++)
        {
            if (n > 1) json.Append(',');
            json.Append("""{"type":"Feature","properties":{""").Append(properties(n))
                .Append(CultureInfo.InvariantCulture, $"}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{n % 360 - 180},{n % 170 - 85}]}}}}");
        }
        File.WriteAllText(path, json.Append("]}").ToString());
        return path;
    }

    private Task<IngestReport> IngestAsync(string path, IngestRequest request, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default) =>
        IngestPipeline.RunAsync(path, request with { SpoolDirectory = _files.Path }, _store, progress, cancellationToken);

    private Task<string> ColumnTypesAsync(string table) => fixture.Database.ScalarAsync<string>(
        $"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped");

    // A table ALTERed after rows were copied into it was rewritten to a new file; a table loaded in one go was not.
    private Task<bool> RewrittenAsync(string table) => fixture.Database.ScalarAsync<bool>($"SELECT relfilenode <> oid FROM pg_class WHERE oid = '{table}'::regclass");

    private Task<long> StagingTablesAsync() => fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname LIKE 'meridian_staging%'");

    [Fact]
    public async Task Of_two_ingests_creating_one_table_at_once_the_second_to_load_fails_and_adds_nothing()
    {
        var path = PointsFile("created_twice", 13, n => $"\"n\":{n}");
        using var paused = new PausedProgress();
        // Under the 1,000 records a streamed load waits for: the first begins its load after its first pass, which it
        // ends having found the name free, while the second creates the table.
        var first = Task.Run(() => IngestAsync(path, new IngestRequest("created_twice"), paused));
        await paused.Paused;
        var second = await IngestAsync(path, new IngestRequest("created_twice"));
        paused.Resume();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => first);

        Assert.Equal(13, second.Loaded);
        Assert.Contains("exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(13, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM created_twice"));
    }

    [Fact]
    public async Task Types_widened_and_a_property_found_after_the_load_began_give_the_table_a_full_first_pass_would()
    {
        var path = PointsFile("late", 2_500, n =>
            $"\"v\":{(n == 2_200 ? "1.5" : n.ToString(CultureInfo.InvariantCulture))}," +
            $"\"flag\":{(n < 1_500 ? "null" : n % 2 == 0 ? "true" : "false")}," +
            $"\"day\":\"{(n == 2_400 ? "2024-01-02T03:04:05Z" : "2024-01-02")}\"" +
            (n == 2_300 ? ",\"late\":\"x\"" : ""));

        var report = await IngestAsync(path, new IngestRequest("late"));

        Assert.Equal(2_500, report.Loaded);
        Assert.True(await RewrittenAsync("late"));
        Assert.Equal("id bigint, geom geometry(Point,4326), v double precision, flag boolean, day timestamp with time zone, late text", await ColumnTypesAsync("late"));
        Assert.Equal("1:1:t:2024-01-02 00:00:00+00:", await fixture.Database.ScalarAsync<string>(
            "SELECT concat_ws(':', id, v, flag IS NULL, to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS+00'), coalesce(late, '')) FROM late WHERE id = 1"));
        Assert.Equal("1.5 t 2024-01-02 03:04:05 x", await fixture.Database.ScalarAsync<string>(
            "SELECT concat_ws(' ', (SELECT v FROM late WHERE id = 2200), (SELECT flag FROM late WHERE id = 1500), (SELECT to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM late WHERE id = 2400), (SELECT late FROM late WHERE id = 2300))"));
        Assert.Equal(2_500, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM late WHERE v IS NOT NULL AND day IS NOT NULL"));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM late WHERE late IS NOT NULL"));
    }

    [Fact]
    public async Task A_number_meeting_text_after_the_load_began_is_loaded_from_the_spool_as_text()
    {
        var path = PointsFile("fallback", 2_500, n => n switch
        {
            2_100 => "\"n\":1e20",
            2_200 => "\"n\":\"text\"",
            _ => "\"n\":1.5",
        });

        var report = await IngestAsync(path, new IngestRequest("fallback"));

        Assert.Equal(2_500, report.Loaded);
        Assert.False(await RewrittenAsync("fallback"));
        Assert.Equal("id bigint, geom geometry(Point,4326), n text", await ColumnTypesAsync("fallback"));
        Assert.Equal("1.5|1E+20|text", await fixture.Database.ScalarAsync<string>("SELECT string_agg(n, '|' ORDER BY id) FROM fallback WHERE id IN (1, 2100, 2200)"));
        Assert.Equal(0, await StagingTablesAsync());
    }

    [Fact]
    public async Task A_load_abandoned_after_it_began_reads_the_file_again_and_reports_each_record_once()
    {
        var path = PointsFile("again", 2_500, n => n == 2_200 ? "\"n\":\"text\"" : $"\"n\":{n}");
        // Record 1,500 (the only one at -120, 55) gets a latitude out of range: rejected in the first pass, and again when re-read.
        File.WriteAllText(path, File.ReadAllText(path).Replace("[-120,55]", "[-120,555]", StringComparison.Ordinal));

        var report = await IngestAsync(path, new IngestRequest("again"));

        Assert.Equal(2_500, report.Read);
        Assert.Equal(1_500, Assert.Single(report.Rejections).Record);
        Assert.Equal(2_499, report.Loaded);
        Assert.Equal("id bigint, geom geometry(Point,4326), n text", await ColumnTypesAsync("again"));
        // In file order: the ids the load generates follow the accepted records.
        Assert.Equal("1|1499|1501|text|2500", await fixture.Database.ScalarAsync<string>(
            "SELECT string_agg(n, '|' ORDER BY id) FROM again WHERE id IN (1, 1499, 1500, 2199, 2499)"));
        Assert.Equal(0, await StagingTablesAsync());
    }

    [Fact]
    public async Task A_schema_the_sample_already_knows_loads_without_rewriting_the_table()
    {
        var path = PointsFile("steady", 2_500, n => $"\"n\":{n}");

        await IngestAsync(path, new IngestRequest("steady"));

        Assert.False(await RewrittenAsync("steady"));
        Assert.Equal(2_500L * 2_501 / 2, await fixture.Database.ScalarAsync<long>("SELECT sum(n)::int8 FROM steady"));
    }

    [Theory]
    [InlineData(IngestMode.Create)]
    [InlineData(IngestMode.Replace)]
    public async Task A_load_cancelled_while_streaming_leaves_the_collection_as_it_was_and_no_staging_table(IngestMode mode)
    {
        var collection = "cancelled_" + mode.ToString().ToLowerInvariant();
        if (mode == IngestMode.Replace) await IngestAsync(PointsFile("before", 3, n => $"\"n\":{n}"), new IngestRequest(collection));
        var path = PointsFile("long", 12_000, n => $"\"n\":{n}");
        using var cancellation = new CancellationTokenSource();
        var cancelAtFirstProgress = new CancelOnProgress(cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IngestAsync(path, new IngestRequest(collection) { Mode = mode }, cancelAtFirstProgress, cancellation.Token));

        // The first progress comes at record 10,000, long after the load began with the first 1,000.
        Assert.Equal(10_000, cancelAtFirstProgress.Read);
        // Written into the load, not committed: staged, not loaded (progress used to call them loaded).
        Assert.True(cancelAtFirstProgress.Staged > 0);
        Assert.Equal(0, cancelAtFirstProgress.Loaded);
        if (mode == IngestMode.Replace)
            Assert.Equal(3, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM {collection}"));
        else
            Assert.False(await fixture.Database.ScalarAsync<bool>($"SELECT to_regclass('{collection}') IS NOT NULL"));
        Assert.Equal(0, await StagingTablesAsync());
        Assert.Empty(Directory.GetFiles(_files.Path, "*.spool"));
    }

    [Fact]
    public async Task Appending_to_an_existing_table_loads_from_the_spool_into_it()
    {
        var path = PointsFile("twice", 1_500, n => $"\"n\":{n}");

        await IngestAsync(path, new IngestRequest("twice"));
        var second = await IngestAsync(path, new IngestRequest("twice") { Mode = IngestMode.Append });

        Assert.Equal(1_500, second.Loaded);
        Assert.Equal(3_000, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM twice"));
    }

    [Fact]
    public async Task Creating_a_collection_that_exists_is_refused_before_anything_loads_even_when_the_file_also_fails()
    {
        await IngestAsync(PointsFile("taken", 1_500, n => $"\"n\":{n}"), new IngestRequest("taken"));
        // The check runs while the file is read; a load long enough to stream, and a file that breaks after it.
        var longer = PointsFile("longer", 2_500, n => $"\"n\":{n}");
        var broken = Path.Combine(_files.Path, "broken.geojson");
        File.WriteAllText(broken, File.ReadAllText(longer)[..^2] + ",{\"type\":");

        var refused = await Assert.ThrowsAsync<IngestException>(() => IngestAsync(longer, new IngestRequest("taken")));
        var refusedBroken = await Assert.ThrowsAsync<IngestException>(() => IngestAsync(broken, new IngestRequest("taken")));

        Assert.Contains("'taken' already exists", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'taken' already exists", refusedBroken.Message, StringComparison.Ordinal);
        Assert.Equal(1_500, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM taken"));
        Assert.Equal(0, await StagingTablesAsync());
        // The file is indeed broken: appending to the collection, which needs no check, fails on it.
        await Assert.ThrowsAsync<SourceFormatException>(() => IngestAsync(broken, new IngestRequest("taken") { Mode = IngestMode.Append }));
    }

    [Theory]
    [InlineData(PropertyType.Integer, PropertyType.Number, true)]
    [InlineData(PropertyType.Integer, PropertyType.String, true)]
    [InlineData(PropertyType.Boolean, PropertyType.String, true)]
    [InlineData(PropertyType.Other, PropertyType.String, true)]
    [InlineData(PropertyType.Date, PropertyType.DateTime, true)]
    [InlineData(PropertyType.String, PropertyType.Date, true)]
    [InlineData(PropertyType.Number, PropertyType.String, false)]
    [InlineData(PropertyType.Date, PropertyType.String, false)]
    [InlineData(PropertyType.DateTime, PropertyType.String, false)]
    public void Only_widenings_whose_cast_gives_the_fitted_values_are_followed(PropertyType from, PropertyType to, bool exact)
    {
        CollectionSchema Schema(PropertyType type) =>
            new("c", "c", null, GeometryKind.Point, 4326, FeatureIdKind.Integer, [new PropertySchema("p", type)], null);

        Assert.Equal(exact, StreamedLoad.WidensExactly(Schema(from), Schema(to)));
    }

    private sealed class CancelOnProgress(CancellationTokenSource cancellation) : IProgress<IngestProgress>
    {
        public long Read { get; private set; }

        public long Staged { get; private set; }

        public long Loaded { get; private set; }

        public void Report(IngestProgress value)
        {
            if (cancellation.IsCancellationRequested) return;
            (Read, Staged, Loaded) = (value.Read, value.Staged, value.Loaded);
            cancellation.Cancel();
        }
    }
}
