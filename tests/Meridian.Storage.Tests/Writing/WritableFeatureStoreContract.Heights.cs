using System.Text;
using System.Text.Json;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.Writing;

/// <summary>
/// Collections whose geometries have heights (z), the same in both stores: declared by the schema, kept to the
/// last digit by loads and writes, given in GeoJSON as third numbers, untouched by a horizontal reprojection, and
/// found by 2D bounding boxes. A load gives the 2D geometries of such a collection a height of 0; an append keeps the
/// collection's dimension: heights appended to a 2D collection are refused, naming the feature, with nothing written.
/// </summary>
public abstract partial class WritableFeatureStoreContract
{
    // A short track of heights that no float rounding would keep: every digit must come back.
    private static readonly double[] TrackHeights = [35.125, 36.0000001, -12.5];

    private static CollectionSchema HeightsSchema(string id, GeometryKind kind = GeometryKind.Point) =>
        new(id, id, null, kind, GeometryServices.Crs84Srid, FeatureIdKind.Integer, [new("name", PropertyType.String)], null) { HasZ = true };

    private static Geometry PointZ(double x, double y, double z) => GeometryServices.Factory.CreatePoint(new CoordinateZ(x, y, z));

    private static FeatureRecord Named(string name, Geometry geometry) => new(null, geometry, new Dictionary<string, object?> { ["name"] = name });

    /// <summary>Each feature's positions as the streaming path writes them to GeoJSON (a point's one, a line's all).</summary>
    private static async Task<List<double[][]>> JsonPositionsAsync(IFeatureReader reader)
    {
        var features = new List<double[][]>();
        await using (reader)
        {
            while (await reader.ReadAsync(None))
            {
                using var stream = new MemoryStream();
                await using (var writer = new Utf8JsonWriter(stream)) reader.WriteGeometry(writer);
                using var document = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
                var coordinates = document.RootElement.GetProperty("coordinates");
                var positions = coordinates[0].ValueKind == JsonValueKind.Array ? coordinates.EnumerateArray().ToList() : [coordinates];
                features.Add(positions.Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray());
            }
        }
        return features;
    }

    private async Task<IFeatureCollection> CollectionAsync(string id) =>
        (await store.GetCollectionsAsync(None)).Single(c => c.Schema.Id == id);

    [Fact]
    public async Task Heights_LoadedLine_KeepsEveryZ_InJsonObjectsAndReprojection()
    {
        var id = NewId();
        var track = GeometryServices.Factory.CreateLineString(
            TrackHeights.Select((z, i) => (Coordinate)new CoordinateZ(6.1 + i / 100.0, 45.9 + i / 100.0, z)).ToArray());
        await store.LoadAsync(HeightsSchema(id, GeometryKind.LineString), AsStream([Named("track", track)]), None);

        var collection = await CollectionAsync(id);
        Assert.True(collection.Schema.HasZ);
        var json = await JsonPositionsAsync(await collection.QueryAsync(new FeatureQuery { Limit = 10 }, None));
        Assert.Equal(TrackHeights, json.Single().Select(p => Assert.Single(p.Skip(2))));

        await using (var reader = await collection.QueryAsync(new FeatureQuery { Limit = 10 }, None))
        {
            Assert.True(await reader.ReadAsync(None));
            Assert.Equal(TrackHeights, reader.ReadGeometry()!.Coordinates.Select(c => c.Z));
        }

        // Web Mercator is a horizontal projection: x and y change, the heights do not (rounded to 0.1 mm, as x and y are).
        var mercator = await JsonPositionsAsync(await collection.QueryAsync(new FeatureQuery { Limit = 10, OutputCrs = CrsRegistry.FindEpsg(3857)! }, None));
        Assert.Equal(TrackHeights.Select(z => Math.Round(z, 4)), mercator.Single().Select(p => p[2]));
        Assert.True(mercator.Single()[0][0] > 600_000);
    }

    [Fact]
    public async Task Heights_TwoDimensionalBoundingBox_FindsThreeDimensionalFeatures()
    {
        var id = NewId();
        await store.LoadAsync(HeightsSchema(id), AsStream([Named("low", PointZ(1, 1, -400)), Named("high", PointZ(5, 5, 8848))]), None);
        var collection = await CollectionAsync(id);

        var inBox = await JsonPositionsAsync(await collection.QueryAsync(Box(4, 4, 6, 6), None));

        Assert.Equal([5.0, 5, 8848], Assert.Single(inBox).Single());
    }

    [Fact]
    public async Task Heights_LoadMixingDimensions_GivesTheFlatGeometriesZero()
    {
        var id = NewId();
        await store.LoadAsync(HeightsSchema(id), AsStream([Named("flat", Point(1, 2)), Named("high", PointZ(3, 4, 120.5))]), None);

        var positions = await JsonPositionsAsync(await (await CollectionAsync(id)).QueryAsync(new FeatureQuery { Limit = 10 }, None));

        Assert.Equal([[1.0, 2, 0], [3.0, 4, 120.5]], positions.Select(p => p.Single()));
    }

    [Fact]
    public async Task Heights_CreatedCollection_TakesWritesWithHeights_AndKeepsThem()
    {
        var id = "w" + Guid.NewGuid().ToString("N")[..12];
        await store.CreateCollectionAsync(HeightsSchema(id), None);
        var collection = Assert.IsAssignableFrom<IWritableFeatureCollection>(await CollectionAsync(id));
        Assert.True(collection.Schema.HasZ);

        var featureId = await collection.InsertAsync(Named("summit", PointZ(7.6586, 45.9763, 4478.0)), WriteHooks.None, None);
        Assert.Equal(WriteOutcome.Written,
            await collection.UpdateAsync(featureId, new FeaturePatch(true, PointZ(7.6586, 45.9763, 4478.25), new Dictionary<string, object?>()), WriteHooks.None, None));

        await using var reader = await collection.GetAsync(featureId, None);
        Assert.True(await reader.ReadAsync(None));
        Assert.Equal(4478.25, ((Point)reader.ReadGeometry()!).Z);
    }

    private static FeatureRecord Numbered(string id, string name, Geometry geometry) => new(id, geometry, new Dictionary<string, object?> { ["name"] = name });

    /// <summary>The collection's dimension, feature count and positions, as readers see them.</summary>
    private async Task<(bool HasZ, long Count, List<double[]> Positions)> ContentsAsync(string id)
    {
        var collection = await CollectionAsync(id);
        var positions = await JsonPositionsAsync(await collection.QueryAsync(new FeatureQuery { Limit = 100 }, None));
        return (collection.Schema.HasZ, await collection.CountAsync(new FeatureQuery(), None), positions.Select(p => p.Single()).ToList());
    }

    // The ingest infers the appended file's schema from the file alone: one with heights says so, and a store given a
    // schema that does not (a caller of the port) must find the heights in the geometries all the same.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Heights_AppendedToA2DCollection_AreRefusedNamingTheFeature_AndNothingIsWritten(bool loadDeclaresHeights)
    {
        var id = NewId();
        var flat = HeightsSchema(id) with { HasZ = false };
        await store.LoadAsync(flat, AsStream([Named("a", Point(1, 2)), Named("b", Point(3, 4))]), None);
        var before = await ContentsAsync(id);

        var error = await Assert.ThrowsAsync<InvalidFeatureException>(() => store.LoadAsync(flat with { HasZ = loadDeclaresHeights },
            AsStream([Numbered("101", "c", Point(5, 6)), Numbered("102", "summit", PointZ(7, 8, 4478.5)), Numbered("103", "d", Point(9, 10))]), None));

        Assert.Contains("Feature #2 (id '102') has heights (z)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{id}' holds two-dimensional geometries", error.Message, StringComparison.Ordinal);
        var after = await ContentsAsync(id);
        Assert.False(after.HasZ);
        Assert.Equal(2, after.Count);
        Assert.Equal([[1.0, 2], [3.0, 4]], after.Positions);
        Assert.Equal(before.Positions, after.Positions);
    }

    // Decided: the same as a load mixing dimensions (Heights_LoadMixingDimensions_GivesTheFlatGeometriesZero): a height
    // of 0, which PostGIS's typmod'd column needs and its ST_Force3DZ gives, rather than refusing every flat file.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Heights_FlatFeaturesAppendedToACollectionWithHeights_GetZero(bool loadDeclaresHeights)
    {
        var id = NewId();
        await store.LoadAsync(HeightsSchema(id), AsStream([Named("summit", PointZ(1, 2, 4478.5))]), None);

        var appended = await store.LoadAsync(HeightsSchema(id) with { HasZ = loadDeclaresHeights },
            AsStream([Named("flat", Point(3, 4)), Named("high", PointZ(5, 6, 12.25))]), None);

        Assert.Equal(2, appended);
        var after = await ContentsAsync(id);
        Assert.True(after.HasZ);
        Assert.Equal(3, after.Count);
        Assert.Equal([[1.0, 2, 4478.5], [3.0, 4, 0], [5.0, 6, 12.25]], after.Positions);
    }
}
