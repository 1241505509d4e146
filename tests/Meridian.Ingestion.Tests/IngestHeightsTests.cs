using System.Globalization;
using Meridian.Ingestion.Formats;
using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Ingestion.Tests;

/// <summary>
/// Files whose geometries have heights (GPX elevations, KML altitudes, GeoJSON third numbers), ingested into each
/// store: the collection has heights, every one comes back as loaded, positions without one get 0 with a warning,
/// and hostile heights (NaN, infinite, positions of 1 or 4 numbers) have a clear outcome, never a failed load. An
/// append keeps the collection's dimension in both stores alike: heights into a 2D collection fail the file naming
/// the feature, with nothing written; a flat file into a collection with heights gets heights of 0.
/// </summary>
public sealed class IngestHeightsTests(PostGisFixture fixture) : IClassFixture<PostGisFixture>, IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private IWritableFeatureStore _postgis = null!;
    private IWritableFeatureStore _geopackage = null!;

    public Task InitializeAsync()
    {
        _postgis = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = fixture.Database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
        _geopackage = new GeoPackageDirectoryStore(Path.Combine(_files.Path, "features"), NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncDisposable)_postgis).DisposeAsync();
        if (_geopackage is IAsyncDisposable disposable) await disposable.DisposeAsync();
        _files.Dispose();
    }

    private IWritableFeatureStore Store(string kind) => kind == "postgis" ? _postgis : _geopackage;

    private string Write(string name, string content)
    {
        var path = Path.Combine(_files.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string NewId() => "h" + Guid.NewGuid().ToString("N")[..10];

    private static Task<IngestReport> IngestAsync(IWritableFeatureStore store, string path, string collection, string? layer = null,
        IngestMode mode = IngestMode.Create) =>
        IngestPipeline.RunAsync(path, new IngestRequest(collection) { Layer = layer, Mode = mode }, store, null, CancellationToken.None);

    /// <summary>Every position of every feature, in id order, with its height (NaN when it has none).</summary>
    private static async Task<(bool HasZ, List<double[]> Positions)> ReadAsync(IWritableFeatureStore store, string id)
    {
        var collection = (await store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == id);
        var positions = new List<double[]>();
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 10_000 }, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
            positions.AddRange(reader.ReadGeometry()?.Coordinates.Select(c => new[] { c.X, c.Y, c.Z }) ?? []);
        return (collection.Schema.HasZ, positions);
    }

    private const string Gpx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
          <trk><name>Ridge</name><trkseg>
            <trkpt lat="45.9763" lon="7.6586"><ele>4478.125</ele></trkpt>
            <trkpt lat="45.9770" lon="7.6590"><ele>4470.5</ele></trkpt>
            <trkpt lat="45.9780" lon="7.6600"><ele>4455</ele></trkpt>
          </trkseg></trk>
        </gpx>
        """;

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_gpx_track_with_elevations_keeps_every_one(string kind)
    {
        var store = Store(kind);
        var id = NewId();

        var report = await IngestAsync(store, Write("ridge.gpx", Gpx), id, "tracks");

        Assert.Equal(1, report.Loaded);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("height", StringComparison.Ordinal));
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([4478.125, 4470.5, 4455], positions.Select(p => p[2]));
        Assert.Equal([7.6586, 7.6590, 7.6600], positions.Select(p => p[0]));
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_kml_line_with_altitudes_keeps_them(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Cable car</name>
              <LineString><altitudeMode>absolute</altitudeMode><coordinates>6.8652,45.8326,1035.5 6.8872,45.8786,3842.25</coordinates></LineString>
            </Placemark></Document></kml>
            """;

        Assert.Equal(1, (await IngestAsync(store, Write("cable.kml", kml), id)).Loaded);

        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([1035.5, 3842.25], positions.Select(p => p[2]));
    }

    // A GPX track is a MultiLineString even with one segment; the points without <ele> get 0 and the track stays multi.
    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_gpx_track_with_some_elevations_missing_loads_with_zero_for_them(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var gpx = Gpx.Replace("<ele>4470.5</ele>", "", StringComparison.Ordinal);

        var report = await IngestAsync(store, Write("partial.gpx", gpx), id, "tracks");

        Assert.Equal(1, report.Loaded);
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([4478.125, 0, 4455], positions.Select(p => p[2]));
    }

    // A 3D Shapefile's PolyLineZ carries a measure with every height; the stores keep the heights and drop the measures
    // (PostGIS refused the load while they were passed on).
    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_3d_shapefile_keeps_its_heights_and_drops_its_measures(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var line = new NetTopologySuite.Geometries.LineString(
            [new NetTopologySuite.Geometries.CoordinateZM(6.8652, 45.8326, 1035.5, 0), new NetTopologySuite.Geometries.CoordinateZM(6.8872, 45.8786, 3842.25, 5.1)]);
        var folder = Path.Combine(_files.Path, "shp-" + id);
        Directory.CreateDirectory(folder);
        NetTopologySuite.IO.Esri.Shapefile.WriteAllFeatures(
            [new NetTopologySuite.Features.Feature(line, new NetTopologySuite.Features.AttributesTable { { "name", "Cable car" } })],
            Path.Combine(folder, "cable.shp"));
        var archive = Path.Combine(_files.Path, id + ".shp.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(folder, archive);
        Assert.Equal(NetTopologySuite.IO.Esri.ShapeType.PolyLineZM, NetTopologySuite.IO.Esri.Shapefile.GetShapeType(Path.Combine(folder, "cable.shp")));

        Assert.Equal(1, (await IngestAsync(store, archive, id)).Loaded);

        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([1035.5, 3842.25], positions.Select(p => p[2]));
        Assert.Equal([6.8652, 6.8872], positions.Select(p => p[0]));
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task Mixed_dimensions_give_the_flat_positions_zero_and_a_warning_naming_the_first(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        // The flat record comes first: PostGIS's streamed load has then made a 2D table it must give heights.
        var geojson = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[1,2]}},
              {"type":"Feature","properties":{"n":2},"geometry":{"type":"Point","coordinates":[3,4,5.5]}},
              {"type":"Feature","properties":{"n":3},"geometry":{"type":"LineString","coordinates":[[6,7,8],[9,10]]}}
            ]}
            """;

        var report = await IngestAsync(store, Write("mixed.geojson", geojson), id);

        Assert.Equal(3, report.Loaded);
        Assert.Contains(report.Warnings, w => w.Contains("record 1 ", StringComparison.Ordinal) && w.Contains("height of 0", StringComparison.Ordinal));
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([[1.0, 2, 0], [3.0, 4, 5.5], [6.0, 7, 8], [9.0, 10, 0]], positions);
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task Wgs84_with_heights_as_gdal_labels_3D_files_is_read_as_longitude_latitude(string kind)
    {
        // GDAL gives a 3D GeoPackage or FlatGeobuf made from CRS84 data EPSG:4979; a GeoJSON crs member says the same here.
        var store = Store(kind);
        var id = NewId();
        var geojson = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4979"}},"features":[
              {"type":"Feature","properties":{"name":"Mont Blanc"},"geometry":{"type":"Point","coordinates":[6.8652,45.8326,4808.73]}}]}
            """;

        var report = await IngestAsync(store, Write("wgs84_3d.geojson", geojson), id);

        Assert.Equal(1, report.Loaded);
        var (_, positions) = await ReadAsync(store, id);
        Assert.Equal(new[] { 6.8652, 45.8326, 4808.73 }, Assert.Single(positions));
    }

    [Fact]
    public async Task Heights_learnt_after_the_streamed_load_began_give_the_postgis_table_heights()
    {
        // Past the streamed load's sample of 1,000 records: the table exists, 2D, when the first height comes.
        var id = NewId();
        var features = Enumerable.Range(1, 1_200).Select(n => "{\"type\":\"Feature\",\"properties\":{\"n\":" + n.ToString(CultureInfo.InvariantCulture)
            + "},\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + (n % 180).ToString(CultureInfo.InvariantCulture) + ","
            + (n % 80).ToString(CultureInfo.InvariantCulture) + (n == 1_100 ? ",8848.86" : "") + "]}}");
        var path = Write("late.geojson", "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}");

        var report = await IngestAsync(_postgis, path, id);

        Assert.Equal(1_200, report.Loaded);
        var (hasZ, positions) = await ReadAsync(_postgis, id);
        Assert.True(hasZ);
        Assert.Equal(8848.86, positions[1_099][2]);
        Assert.Equal(1_199, positions.Count(p => p[2] == 0));
        Assert.Equal("geometry(PointZ,4326)", await fixture.Database.ScalarAsync<string>(
            $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{id}'::regclass AND attname = 'geom'"));
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_flat_file_stays_two_dimensional(string kind)
    {
        var store = Store(kind);
        var id = NewId();

        await IngestAsync(store, Write("flat.geojson", """{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}"""), id);

        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.False(hasZ);
        Assert.True(double.IsNaN(Assert.Single(positions)[2]));
    }

    /// <summary>Hostile heights: each record is loaded or rejected with its number; nothing fails the load or reaches the store as NaN or infinity.</summary>
    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task Hostile_positions_are_rejected_by_record_or_loaded_sanely(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var geojson = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[1,2,3]}},
              {"type":"Feature","properties":{"n":2},"geometry":{"type":"Point","coordinates":[1]}},
              {"type":"Feature","properties":{"n":3},"geometry":{"type":"Point","coordinates":[1,2,1e999]}},
              {"type":"Feature","properties":{"n":4},"geometry":{"type":"Point","coordinates":[1,2,3,4]}},
              {"type":"Feature","properties":{"n":5},"geometry":{"type":"Point","coordinates":[1,2,"NaN"]}},
              {"type":"Feature","properties":{"n":6},"geometry":{"type":"Point","coordinates":[]}}
            ]}
            """;

        var report = await IngestAsync(store, Write("hostile.geojson", geojson), id);

        var rejected = report.Rejections.Select(r => r.Record).ToList();
        Assert.Contains(2L, rejected);
        Assert.Contains(3L, rejected);
        Assert.Contains(5L, rejected);
        Assert.DoesNotContain(1L, rejected);
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.All(positions, p => Assert.True(p.All(double.IsFinite), string.Join(", ", p.Select(v => v.ToString(CultureInfo.InvariantCulture)))));
        Assert.Equal([1.0, 2, 3], positions[0]);
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_gpx_elevation_that_is_not_a_decimal_fails_the_file_with_nothing_written(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var gpx = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
              <wpt lat="5" lon="6"><ele>12.5</ele></wpt>
              <wpt lat="1" lon="2"><ele>NaN</ele></wpt>
            </gpx>
            """;

        // GPX types ele as xsd:decimal, which has no NaN or infinity.
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => IngestAsync(store, Write("nan.gpx", gpx), id, "waypoints"));

        Assert.Contains("not valid GPX", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await store.GetCollectionsAsync(CancellationToken.None), c => c.Schema.Id == id);
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task Kml_altitudes_that_are_not_finite_are_rejected_by_record(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var kml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document>
              <Placemark><name>fine</name><Point><coordinates>6,5,12.5</coordinates></Point></Placemark>
              <Placemark><name>infinite</name><Point><coordinates>4,3,Infinity</coordinates></Point></Placemark>
              <Placemark><name>nan</name><Point><coordinates>2,1,NaN</coordinates></Point></Placemark>
            </Document></kml>
            """;

        var report = await IngestAsync(store, Write("odd.kml", kml), id);

        Assert.Equal([2L, 3L], report.Rejections.Select(r => r.Record));
        Assert.Contains("4,3,Infinity", report.Rejections[0].Reason, StringComparison.Ordinal);
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([[6.0, 5, 12.5]], positions);
    }

    private const string FlatPoints = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[1,2]}},
          {"type":"Feature","properties":{"name":"b"},"geometry":{"type":"Point","coordinates":[3,4]}}
        ]}
        """;

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task Heights_appended_to_a_flat_collection_fail_the_file_naming_the_feature_with_nothing_written(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        await IngestAsync(store, Write("flat.geojson", FlatPoints), id);
        var summits = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"c"},"geometry":{"type":"Point","coordinates":[5,6]}},
              {"type":"Feature","properties":{"name":"Mont Blanc"},"geometry":{"type":"Point","coordinates":[6.8652,45.8326,4808.73]}}
            ]}
            """;

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => IngestAsync(store, Write("summits.geojson", summits), id, mode: IngestMode.Append));

        Assert.Contains("Feature #2 has heights (z)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{id}' holds two-dimensional geometries; replace the collection to keep them", error.Message, StringComparison.Ordinal);
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.False(hasZ);
        Assert.Equal([[1.0, 2], [3.0, 4]], positions.Select(p => p[..2]));
        Assert.All(positions, p => Assert.True(double.IsNaN(p[2])));
    }

    [Theory]
    [InlineData("postgis")]
    [InlineData("geopackage")]
    public async Task A_flat_file_appended_to_a_collection_with_heights_gets_heights_of_zero(string kind)
    {
        var store = Store(kind);
        var id = NewId();
        var summits = """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Mont Blanc"},"geometry":{"type":"Point","coordinates":[6.8652,45.8326,4808.73]}}
            ]}
            """;
        await IngestAsync(store, Write("summits.geojson", summits), id);

        var report = await IngestAsync(store, Write("flat.geojson", FlatPoints), id, mode: IngestMode.Append);

        Assert.Equal(2, report.Loaded);
        var (hasZ, positions) = await ReadAsync(store, id);
        Assert.True(hasZ);
        Assert.Equal([[6.8652, 45.8326, 4808.73], [1.0, 2, 0], [3.0, 4, 0]], positions);
    }
}
