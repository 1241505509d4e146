using System.Text;
using System.Text.Json;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests;

/// <summary>The port's output CRS (OGC API - Features Part 2): transformed coordinates in the CRS's axis order.</summary>
public abstract partial class FeatureStoreContract
{
    /// <summary>Berlin (13.4°E 52.52°N) as PostGIS 3.3 ST_Transform puts it (x east, y north).</summary>
    [Theory]
    [InlineData(3857, 1491681.1766, 6894699.8013, 0.01)]
    [InlineData(32632, 798473.8018, 5827979.1881, 0.01)]
    [InlineData(3035, 4551697.4756, 3273252.4072, 0.01)]
    [InlineData(4258, 13.4, 52.52, 1e-6)]
    public async Task QueryAsync_OutputCrs_TransformsIntoItsAxisOrder(int code, double east, double north, double tolerance)
    {
        var collection = await LoadPlacesAsync();
        var crs = CrsRegistry.FindEpsg(code)!;

        var (json, geometries) = await ReadGeometriesAsync(await collection.QueryAsync(new FeatureQuery { Limit = 3, OutputCrs = crs }, CancellationToken.None));

        var (x, y) = crs.ToEastNorth(east, north); // the same swap puts north first where the CRS does (3035, 4258)
        AssertPosition(json[2], x, y, tolerance);
        AssertPosition(geometries[2], x, y, tolerance);
    }

    [Fact]
    public async Task QueryAsync_OutputCrs4326_PutsLatitudeFirst()
    {
        var collection = await LoadPlacesAsync();

        var (json, geometries) = await ReadGeometriesAsync(await collection.QueryAsync(
            new FeatureQuery { Limit = 1, OutputCrs = CrsRegistry.FindEpsg(4326)! }, CancellationToken.None));

        Assert.Equal([48.85, 2.35], json[0]);
        Assert.Equal((48.85, 2.35), (geometries[0][0], geometries[0][1]));
    }

    [Fact]
    public async Task QueryAsync_OutputCrs84_IsTheStoredLongitudeLatitude()
    {
        var collection = await LoadPlacesAsync();

        var (json, _) = await ReadGeometriesAsync(await collection.QueryAsync(new FeatureQuery { Limit = 1 }, CancellationToken.None));

        Assert.Equal([2.35, 48.85], json[0]);
    }

    [Fact]
    public async Task GetAsync_OutputCrs_TransformsTheFeature()
    {
        var collection = await LoadPlacesAsync();
        var firstId = (await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 1 }, CancellationToken.None), 6))[0].Id;

        var (json, geometries) = await ReadGeometriesAsync(await collection.GetAsync(firstId, CrsRegistry.FindEpsg(3857)!, CancellationToken.None));

        AssertPosition(json.Single(), 261600.8034, 6249447.7528, 0.01);
        AssertPosition(geometries.Single(), 261600.8034, 6249447.7528, 0.01);
    }

    [Fact]
    public async Task QueryAsync_CollectionStoredInWebMercator_ServesEveryCrs()
    {
        var mercator = CrsRegistry.FindEpsg(3857)!;
        var places = Places.Select(p => p with { Geometry = p.Geometry is null ? null : Project(mercator, p.Geometry) }).ToList();
        var id = "m" + Guid.NewGuid().ToString("N")[..12];
        var collection = await LoadAsync(new CollectionSchema(id, id, null, GeometryKind.Point, 3857, FeatureIdKind.Integer, PlaceProperties, null), places);

        async Task<double[]> FirstAsync(Crs crs) =>
            (await ReadGeometriesAsync(await collection.QueryAsync(new FeatureQuery { Limit = 1, OutputCrs = crs }, CancellationToken.None))).Json[0];

        AssertPosition(await FirstAsync(mercator), 261600.8034, 6249447.7528, 0.01);
        AssertPosition(await FirstAsync(CrsRegistry.Crs84), 2.35, 48.85, 1e-6);
        AssertPosition(await FirstAsync(CrsRegistry.FindEpsg(4326)!), 48.85, 2.35, 1e-6);
        AssertPosition(await FirstAsync(CrsRegistry.FindEpsg(25832)!), 12291.0020, 5432137.8826, 0.01);
    }

    /// <summary>
    /// Web Mercator ends at ±85.0511°: beyond, both stores clamp onto the edge of its square (as Crs.FromCrs84 does for
    /// the processes), where PostGIS's ST_Transform alone put the South Pole at y = -2.4e8 m.
    /// </summary>
    [Fact]
    public async Task QueryAsync_OutputWebMercator_ClampsLatitudesBeyondItsSquare()
    {
        var id = "p" + Guid.NewGuid().ToString("N")[..12];
        FeatureRecord At(double lon, double lat) =>
            new(null, GeometryServices.Factory.CreatePoint(new Coordinate(lon, lat)), new Dictionary<string, object?>());
        var collection = await LoadAsync(new CollectionSchema(id, id, null, GeometryKind.Point, GeometryServices.Crs84Srid, FeatureIdKind.Integer, [], null),
            [At(0, -90), At(10, 89), At(20, 10)]);

        var (json, geometries) = await ReadGeometriesAsync(await collection.QueryAsync(
            new FeatureQuery { OutputCrs = CrsRegistry.FindEpsg(WebMercator.Srid)! }, CancellationToken.None));

        double[][] expected = [[0, -WebMercator.Extent], [WebMercator.X(10), WebMercator.Extent], [WebMercator.X(20), WebMercator.Y(10)]];
        for (var i = 0; i < expected.Length; i++)
        {
            AssertPosition(json[i], expected[i][0], expected[i][1], 0.001);
            AssertPosition(geometries[i], expected[i][0], expected[i][1], 0.001);
        }
    }

    private static Geometry Project(Crs crs, Geometry geometry)
    {
        var projected = crs.FromCrs84(geometry)!;
        projected.SRID = crs.Srid;
        return projected;
    }

    private static void AssertPosition(double[] position, double x, double y, double tolerance)
    {
        Assert.Equal(x, position[0], tolerance);
        Assert.Equal(y, position[1], tolerance);
    }

    /// <summary>Each point's position as written to GeoJSON (the streaming path) and as read into an object.</summary>
    private static async Task<(List<double[]> Json, List<double[]> Objects)> ReadGeometriesAsync(IFeatureReader reader)
    {
        var (json, objects) = (new List<double[]>(), new List<double[]>());
        await using (reader)
        {
            while (await reader.ReadAsync(CancellationToken.None))
            {
                using var stream = new MemoryStream();
                await using (var writer = new Utf8JsonWriter(stream)) reader.WriteGeometry(writer);
                using var document = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
                json.Add(document.RootElement.GetProperty("coordinates").EnumerateArray().Select(v => v.GetDouble()).ToArray());
                var point = (Point)reader.ReadGeometry()!;
                objects.Add([point.X, point.Y]);
            }
        }
        return (json, objects);
    }
}
