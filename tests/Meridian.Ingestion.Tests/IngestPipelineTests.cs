using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Validation;
using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Querying;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Ingestion.Tests;

/// <summary>
/// The pipeline from a file on disk to a collection of the embedded store: what it loads, what it rejects and
/// why, and that a failed ingest leaves nothing behind. Every file of the shared broken-data set has its outcome.
/// </summary>
public sealed class IngestPipelineTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly GeoPackageDirectoryStore _store;

    public IngestPipelineTests() => _store = new GeoPackageDirectoryStore(Path.Combine(_data.Path, "features"), NullLogger.Instance);

    public void Dispose() => _data.Dispose();

    private Task<IngestReport> IngestAsync(string file, IngestRequest? request = null) =>
        IngestPipeline.RunAsync(TestData.Path(file), request ?? new IngestRequest("target"), _store, null, CancellationToken.None);

    private async Task<long> CountAsync(string collection = "target")
    {
        var found = (await _store.GetCollectionsAsync(CancellationToken.None)).SingleOrDefault(c => c.Schema.Id == collection);
        return found is null ? -1 : await found.CountAsync(new FeatureQuery(), CancellationToken.None);
    }

    // Progress called the records written into the load "loaded", and said "loaded 0" all through the first pass of a
    // load through the spool: nothing is loaded (visible) before the load's transaction commits, at its end.
    [Fact]
    public async Task Progress_counts_staged_records_while_loading_and_loaded_ones_once_committed()
    {
        var path = Path.Combine(_data.Path, "many.geojsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 25_000).Select(n =>
            $$$"""{"type":"Feature","properties":{"n":{{{n}}}},"geometry":{"type":"Point","coordinates":[{{{n % 360 - 180}}},{{{n % 170 - 85}}}]}}"""));
        var reports = new List<IngestProgress>();

        var report = await IngestPipeline.RunAsync(path, new IngestRequest("many"), _store, new Recorded(reports), CancellationToken.None);

        Assert.Equal(25_000, report.Loaded);
        var loading = reports.SkipLast(1).ToList();
        Assert.All(loading, p => Assert.Equal(0, p.Loaded));
        Assert.Equal([10_000, 20_000], loading.Where(p => p.Staged > 0).Select(p => p.Staged));
        Assert.Equal(new IngestProgress(25_000, 25_000, 25_000, 0), reports[^1]);
        Assert.Equal("read 25,000, staged 20,000 (not yet committed), rejected 0", loading[^1].Describe());
        Assert.Equal("read 25,000, loaded 25,000, rejected 0", reports[^1].Describe());
    }

    /// <summary>Every report, in order, at once (<c>Progress&lt;T&gt;</c> would report later, on the thread pool).</summary>
    private sealed class Recorded(List<IngestProgress> reports) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => reports.Add(value);
    }

    [Theory]
    [InlineData("formats/ne_10m_airports.geojsonl", 891)]
    [InlineData("formats/ne_10m_airports.lonlat.csv", 891)]
    [InlineData("formats/ne_10m_airports.shp.zip", 891)]
    [InlineData("formats/ne_10m_airports.kml", 891)]
    [InlineData("formats/ne_10m_airports.gpx", 891)]
    [InlineData("formats/ne_110m_admin_0_countries.gpkg", 177)]
    [InlineData("formats/ne_110m_admin_0_countries.fgb", 177)]
    [InlineData("formats/ne_110m_admin_0_countries.wkt.csv", 177)]
    [InlineData("naturalearth/ne_110m_admin_0_countries.geojson", 177)]
    public async Task Every_format_loads_every_record(string file, int expected)
    {
        var report = await IngestAsync(file);

        Assert.Equal(expected, report.Loaded);
        Assert.Equal(expected, report.Read);
        Assert.Empty(report.Rejections);
        Assert.Equal(expected, await CountAsync());
    }

    [Theory]
    [InlineData("formats/ne_110m_populated_places_simple_epsg3857.geojson")]
    [InlineData("formats/ne_50m_admin_0_countries_epsg3857.shp.zip")]
    public async Task Projected_files_are_reprojected_to_longitude_latitude(string file)
    {
        var report = await IngestAsync(file);

        Assert.NotEqual("CRS84", report.SourceCrs);
        var collection = (await _store.GetCollectionsAsync(CancellationToken.None)).Single();
        var extent = (await collection.GetExtentAsync(CancellationToken.None))!;
        Assert.InRange(extent.MinX, -180, -170);
        Assert.InRange(extent.MaxX, 170, 180);
        Assert.InRange(extent.MaxY, 60, 85.06);
    }

    [Fact]
    public async Task A_crs_given_by_the_user_overrides_the_file()
    {
        var report = await IngestAsync("formats/ne_110m_populated_places_simple.lonlat.csv",
            new IngestRequest("target") { Crs = SourceCrs.FromEpsg(4326) });

        Assert.Equal("EPSG:4326", report.SourceCrs);
        Assert.Equal(243, report.Loaded);
    }

    [Fact]
    public async Task A_file_without_a_crs_is_read_as_longitude_latitude_with_a_warning()
    {
        var report = await IngestAsync("broken/shapefile_missing_prj_no_crs.shp.zip");

        Assert.Contains(report.Warnings, w => w.Contains("declares no CRS"));
        Assert.True(report.Loaded > 0);
    }

    [Fact]
    public async Task Bad_csv_rows_are_rejected_with_their_record_numbers_and_the_rest_loads()
    {
        var report = await IngestAsync("broken/csv_lonlat_bad_rows.csv");

        Assert.Contains(report.Rejections, r => r.Record == 3 && r.Reason.Contains("lon"));
        Assert.Equal(report.Read, report.Loaded + report.Rejected);
        Assert.True(report.Loaded >= 2);
        Assert.Equal(report.Loaded, await CountAsync());
    }

    [Fact]
    public async Task Bad_wkt_rows_are_rejected_with_their_record_numbers()
    {
        var report = await IngestAsync("broken/csv_wkt_bad_rows.csv");

        Assert.Equal([2, 3, 4], report.Rejections.Select(r => r.Record).Where(r => r is >= 2 and <= 4).Order());
        Assert.Equal(report.Read, report.Loaded + report.Rejected);
    }

    [Theory]
    [InlineData("broken/invalid_geometry_self_intersecting_bowtie_polygon.geojson")]
    [InlineData("broken/invalid_geometry_hole_outside_shell.geojson")]
    [InlineData("broken/invalid_geometry_overlapping_multipolygon_parts.geojson")]
    public async Task Invalid_geometries_are_repaired_by_default_and_rejected_on_request(string file)
    {
        var repaired = await IngestAsync(file);
        using var other = new TempDirectory();
        var strictStore = new GeoPackageDirectoryStore(other.Path, NullLogger.Instance);
        var rejected = await Assert.ThrowsAsync<IngestException>(() => IngestPipeline.RunAsync(TestData.Path(file),
            new IngestRequest("strict") { Validation = new ValidationOptions { InvalidGeometries = InvalidGeometryPolicy.Reject } },
            strictStore, null, CancellationToken.None));

        Assert.True(repaired.Repaired > 0);
        Assert.Equal(repaired.Read, repaired.Loaded);
        Assert.Contains("invalid", rejected.Message);
        Assert.Empty(await strictStore.GetCollectionsAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("broken/out_of_range_coordinates.geojson", "outside longitude")]
    [InlineData("broken/wrong_axis_order_latlon.geojson", "axes may be swapped")]
    public async Task Coordinates_outside_longitude_latitude_are_rejected_and_named(string file, string reason)
    {
        IngestReport? report = null;
        try
        {
            report = await IngestAsync(file);
        }
        catch (IngestException e)
        {
            Assert.Contains(reason, e.Message);
            Assert.Equal(-1, await CountAsync());
            return;
        }
        Assert.Contains(report.Rejections, r => r.Reason.Contains(reason));
        Assert.Equal(report.Read, report.Loaded + report.Rejected);
    }

    [Fact]
    public async Task A_polygon_over_the_vertex_limit_is_rejected_not_loaded()
    {
        var failure = await Assert.ThrowsAsync<IngestException>(() => IngestAsync("broken/huge_polygon_1000000_vertices.geojson"));

        Assert.Contains("vertices", failure.Message);
        Assert.Equal(-1, await CountAsync());
    }

    /// <summary>
    /// What ingesting each file of the shared broken-data set does: it fails as a whole, or loads with records
    /// rejected (and listed), repaired, or with a warning. A file added to the set fails this test until it is here.
    /// </summary>
    private static readonly Dictionary<string, string> BrokenOutcomes = new()
    {
        ["csv_lonlat_bad_rows.csv"] = "rejects",
        ["csv_wkt_bad_rows.csv"] = "rejects",
        ["deeply_nested_arrays_100000.geojson"] = "fails",
        ["empty_feature_collection_valid.geojson"] = "fails",
        ["empty_zero_bytes.csv"] = "fails",
        ["empty_zero_bytes.geojson"] = "fails",
        ["empty_zero_bytes.gpkg"] = "fails",
        ["empty_zero_bytes.shp.zip"] = "fails",
        ["empty_zero_bytes.tif"] = "fails",
        ["feature_missing_geometry_member.geojson"] = "fails",
        ["geopackage_truncated.gpkg"] = "fails",
        ["huge_polygon_1000000_vertices.geojson"] = "fails",
        ["invalid_geometry_hole_outside_shell.geojson"] = "repairs",
        ["invalid_geometry_overlapping_multipolygon_parts.geojson"] = "repairs",
        ["invalid_geometry_ring_too_few_points.geojson"] = "fails",
        ["invalid_geometry_self_intersecting_bowtie_polygon.geojson"] = "repairs",
        ["invalid_geometry_unclosed_ring.geojson"] = "fails",
        ["invalid_utf8_bytes.geojson"] = "fails",
        ["nonfinite_nan_infinity_coordinates.geojson"] = "fails",
        ["not_json_html_error_page.geojson"] = "fails",
        ["out_of_range_coordinates.geojson"] = "fails",
        ["point_with_one_coordinate.geojson"] = "fails",
        ["raster_corrupt_tile_data_rasterio.tif"] = "fails",
        ["raster_not_a_tiff_text.tif"] = "fails",
        ["raster_truncated_half_read.tif"] = "fails",
        ["shapefile_missing_dbf.shp.zip"] = "fails",
        ["shapefile_missing_prj_no_crs.shp.zip"] = "warns",
        ["shapefile_missing_shx.shp.zip"] = "fails",
        ["shapefile_only_dbf_no_shp.shp.zip"] = "fails",
        ["shapefile_zip_truncated.shp.zip"] = "fails",
        ["truncated_mid_coordinate.geojson"] = "fails",
        ["whitespace_only.geojson"] = "fails",
        ["wrong_axis_order_latlon.geojson"] = "rejects",
        ["wrong_coordinate_nesting_polygon_as_linestring.geojson"] = "fails",
        ["wrong_type_member_typo.geojson"] = "fails",
        ["zip_claims_shapefile_contains_only_readme.shp.zip"] = "fails",
    };

    public static TheoryData<string> BrokenFiles() =>
        new(Directory.GetFiles(TestData.Path("broken")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task Every_broken_file_has_a_clear_outcome(string file)
    {
        Assert.True(BrokenOutcomes.TryGetValue(file, out var expected), $"broken/{file} has no expected outcome in {nameof(BrokenOutcomes)}.");
        IngestReport report;
        try
        {
            report = await IngestAsync("broken/" + file);
        }
        catch (Exception failure) when (failure is SourceFormatException or IngestException)
        {
            Assert.True(expected == "fails", $"broken/{file} failed ({failure.Message}); expected: {expected}");
            Assert.False(string.IsNullOrWhiteSpace(failure.Message));
            Assert.Equal(-1, await CountAsync());
            return;
        }
        Assert.Equal(expected, report.Rejected > 0 ? "rejects" : report.Repaired > 0 ? "repairs" : report.Warnings.Count > 0 ? "warns" : "loads");
        Assert.Equal(report.Read, report.Loaded + report.Rejected);
        Assert.Equal(report.Loaded, await CountAsync());
    }

    [Fact]
    public async Task A_file_of_several_layers_needs_one_chosen()
    {
        var failure = await Assert.ThrowsAsync<IngestException>(() => IngestAsync("formats/naturalearth_multilayer.gpkg"));
        var report = await IngestAsync("formats/naturalearth_multilayer.gpkg", new IngestRequest("target") { Layer = "rivers" });

        Assert.Contains("rivers", failure.Message);
        Assert.Equal(13, report.Loaded);
    }

    [Fact]
    public async Task Create_mode_refuses_an_existing_collection_and_append_adds_to_it()
    {
        await IngestAsync("naturalearth/ne_110m_rivers_lake_centerlines.geojson");

        await Assert.ThrowsAsync<IngestException>(() => IngestAsync("naturalearth/ne_110m_rivers_lake_centerlines.geojson"));
        Assert.Equal(13, await CountAsync());
        await IngestAsync("formats/ne_110m_rivers_lake_centerlines.wkt.csv", new IngestRequest("target") { Mode = IngestMode.Append });
        Assert.Equal(26, await CountAsync());
    }

    [Fact]
    public async Task Replace_mode_swaps_the_collection_for_the_file_and_a_broken_file_leaves_it_as_it_was()
    {
        await IngestAsync("naturalearth/ne_110m_rivers_lake_centerlines.geojson");

        var report = await IngestAsync("naturalearth/ne_110m_admin_0_countries.geojson", new IngestRequest("target") { Mode = IngestMode.Replace });
        await Assert.ThrowsAsync<SourceFormatException>(() => IngestAsync("broken/truncated_mid_coordinate.geojson", new IngestRequest("target") { Mode = IngestMode.Replace }));

        Assert.Equal(177, report.Loaded);
        Assert.Equal(177, await CountAsync());
        var schema = (await _store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == "target").Schema;
        Assert.NotNull(schema.FindProperty("ADMIN"));
    }

    /// <summary>A GeoJSON file of one point whose properties are the given JSON members.</summary>
    private string PointWith(string name, string members)
    {
        var path = Path.Combine(_data.Path, name);
        File.WriteAllText(path, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{" + members
            + "},\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}]}");
        return path;
    }

    [Fact]
    public async Task A_file_with_more_properties_than_a_table_has_columns_fails_naming_the_limit()
    {
        // More than either store takes (PostgreSQL 1,600 columns, SQLite 2,000); the inference stops counting there.
        var wide = PointWith("wide.geojson", string.Join(",", Enumerable.Range(0, 2_100).Select(i => $"\"p{i}\":{i}")));

        var error = await Assert.ThrowsAsync<IngestException>(() => IngestPipeline.RunAsync(wide, new IngestRequest("target"), _store, null, CancellationToken.None));

        Assert.Contains("more than 1,598 properties", error.Message, StringComparison.Ordinal);
        Assert.Equal(-1, await CountAsync());
    }

    [Fact]
    public async Task A_property_name_with_a_nul_character_is_loaded_under_a_name_the_stores_accept()
    {
        var file = PointWith("nul.geojson", "\"a\\u0000b\":1,\"c\":2");

        var report = await IngestPipeline.RunAsync(file, new IngestRequest("target"), _store, null, CancellationToken.None);

        var schema = (await _store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == "target").Schema;
        Assert.Equal(1, report.Loaded);
        Assert.Equal(["a_b", "c"], schema.Properties.Select(p => p.Name));
    }

    [Fact]
    public async Task Of_two_ingests_creating_one_collection_at_once_the_second_to_load_fails_and_adds_nothing()
    {
        using var paused = new PausedProgress();
        // The first has found the name free and read its file when the second creates the collection.
        var first = Task.Run(() => IngestPipeline.RunAsync(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"),
            new IngestRequest("target"), _store, paused, CancellationToken.None));
        await paused.Paused;
        var second = await IngestAsync("naturalearth/ne_110m_rivers_lake_centerlines.geojson");
        paused.Resume();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => first);

        Assert.Equal(13, second.Loaded);
        Assert.Contains("exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(13, await CountAsync());
    }

    [Fact]
    public async Task A_file_named_as_another_format_is_read_by_its_content_with_a_warning()
    {
        var mislabelled = Path.Combine(_data.Path, "rivers.shp.zip");
        File.Copy(TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), mislabelled);

        var report = await IngestPipeline.RunAsync(mislabelled, new IngestRequest("target"), _store, null, CancellationToken.None);

        Assert.Equal("geojson", report.Format);
        Assert.Equal(13, report.Loaded);
        Assert.Contains("the file is named as shapefile but holds geojson: it was read as geojson", report.Warnings);
    }

    [Fact]
    public async Task The_spooled_records_are_deleted_after_a_load_a_failure_and_a_cancellation()
    {
        using var spool = new TempDirectory();
        IngestRequest Request(string collection) => new(collection) { SpoolDirectory = spool.Path };
        using var cancellation = new CancellationTokenSource();
        var cancelAfterFirstPass = new CancelOnProgress(cancellation);

        var loaded = await IngestPipeline.RunAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), Request("loaded"), _store, null, CancellationToken.None);
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
        // The file is read, parsed and spooled up to the broken tail.
        await Assert.ThrowsAsync<SourceFormatException>(() =>
            IngestPipeline.RunAsync(TestData.Path("broken/truncated_mid_coordinate.geojson"), Request("failed"), _store, null, CancellationToken.None));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            IngestPipeline.RunAsync(TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), Request("cancelled"), _store, cancelAfterFirstPass, cancellation.Token));
        Assert.Empty(Directory.GetFileSystemEntries(spool.Path));

        Assert.True(cancelAfterFirstPass.Called);
        Assert.Equal(177, loaded.Loaded);
        Assert.Equal(-1, await CountAsync("failed"));
        Assert.Equal(-1, await CountAsync("cancelled"));
    }

    /// <summary>Cancels the ingest when it first reports progress: at the latest, when the first pass has spooled every record.</summary>
    private sealed class CancelOnProgress(CancellationTokenSource cancellation) : IProgress<IngestProgress>
    {
        public bool Called { get; private set; }

        public void Report(IngestProgress value)
        {
            Called = true;
            cancellation.Cancel();
        }
    }
}
