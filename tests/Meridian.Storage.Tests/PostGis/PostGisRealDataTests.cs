using System.Diagnostics;
using System.Text.Json;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Testing;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>
/// Tables as GDAL creates them (ogr2ogr from the OGC CQL2 test GeoPackage), checked against the same features
/// in the GeoJSON export of that GeoPackage.
/// </summary>
public sealed class PostGisRealDataTests
{
    private const string Layer = "ne_110m_populated_places_simple";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task QueryAsync_TableLoadedByOgr2Ogr_MatchesTheGeoJsonExport()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        await Ogr2OgrAsync(database, TestData.Path("naturalearth/cql2/ne110m4cql2.gpkg"), Layer);
        var expected = ReadGeoJson(TestData.Path($"naturalearth/cql2/{Layer}.from_gpkg.geojson"));
        await using var store = Stores.Open(database);
        var places = await store.CollectionAsync(Layer);
        var europe = new Envelope(-10, 30, 35, 60);

        var all = await (await places.QueryAsync(new FeatureQuery { Limit = 1000 }, None)).ReadAllAsync(places.Schema.Properties.Count);
        var inEurope = await places.CountAsync(new FeatureQuery { BoundingBoxes = [europe] }, None);
        var name = places.Schema.FindProperty("name")!;
        var paris = await places.IdsAsync(new FeatureQuery { Equalities = [new PropertyEquals(name, "Paris")] });

        Assert.Equal(FeatureIdKind.Integer, places.Schema.IdKind);
        Assert.Equal(PropertyType.Date, places.Schema.FindProperty("date")!.Type);
        Assert.Equal(PropertyType.DateTime, places.Schema.FindProperty("start")!.Type);
        Assert.Equal(PropertyType.Integer, places.Schema.FindProperty("pop_max")!.Type);
        Assert.Equal(expected.Count, all.Count);
        Assert.Equal(expected.Count(f => f.Geometry.EnvelopeInternal.Intersects(europe)), inEurope);
        Assert.Single(paris);
        var nameIndex = places.Schema.Properties.ToList().IndexOf(name);
        // The export has no ids but lists the features in fid order, which -preserve_fid kept as the key.
        foreach (var (feature, source) in all.Zip(expected))
        {
            Assert.Equal(source.Attributes["name"], feature.Values[nameIndex]);
            // The export rounds to 7 decimals.
            Assert.Equal(source.Geometry.Coordinate.X, feature.Geometry!.Coordinate.X, tolerance: 1e-7);
            Assert.Equal(source.Geometry.Coordinate.Y, feature.Geometry.Coordinate.Y, tolerance: 1e-7);
        }
    }

    private static List<IFeature> ReadGeoJson(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<FeatureCollection>(stream, GeoJson.Options)!.ToList();
    }

    private static async Task Ogr2OgrAsync(PostGisTestDatabase database, string source, string layer)
    {
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo("ogr2ogr")
        {
            ArgumentList =
            {
                "-f", "PostgreSQL", $"PG:host={settings.Host} port={settings.Port} dbname={settings.Database} user={settings.Username}",
                source, layer, "-preserve_fid",
            },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // The password goes through the environment, not the command line that ps shows.
        start.Environment["PGPASSWORD"] = settings.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ogr2ogr did not start (scripts/test.sh installs gdal-bin).");
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ogr2ogr failed: {await errors}");
    }
}
