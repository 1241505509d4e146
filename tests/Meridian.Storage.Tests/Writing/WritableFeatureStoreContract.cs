using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.Writing;

/// <summary>
/// The write half of the feature-store port, run unchanged against every adapter: single-feature writes, their
/// preconditions and read-back hooks, and collections created and deleted through the port.
/// </summary>
public abstract partial class WritableFeatureStoreContract(IWritableFeatureStore store)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Geometry Point(double x, double y) => GeometryServices.Factory.CreatePoint(new Coordinate(x, y));

    private static Dictionary<string, object?> Values(string name, long population) => new() { ["name"] = name, ["population"] = population };

    private static FeatureQuery Box(double minX, double minY, double maxX, double maxY) =>
        new() { Limit = 100, BoundingBoxes = [new Envelope(minX, maxX, minY, maxY)] };

    protected async Task<IWritableFeatureCollection> CreateAsync(int srid = GeometryServices.Crs84Srid, GeometryKind kind = GeometryKind.Point)
    {
        var schema = new CollectionSchema("w" + Guid.NewGuid().ToString("N")[..12], "Writes", "Written by the contract", kind, srid,
            FeatureIdKind.Integer, TestPlaces.Properties, "observed");
        await store.CreateCollectionAsync(schema, None);
        var collection = (await store.GetCollectionsAsync(None)).SingleOrDefault(c => c.Schema.Id == schema.Id);
        return Assert.IsAssignableFrom<IWritableFeatureCollection>(collection);
    }

    private static async Task<List<string>> IdsAsync(IFeatureCollection collection, FeatureQuery query)
    {
        var ids = new List<string>();
        await using var reader = await collection.QueryAsync(query, None);
        while (await reader.ReadAsync(None)) ids.Add(reader.Id);
        return ids;
    }

    private static async Task<(Geometry? Geometry, object?[] Values)?> GetAsync(IFeatureCollection collection, string id)
    {
        await using var reader = await collection.GetAsync(id, None);
        if (!await reader.ReadAsync(None)) return null;
        return (reader.ReadGeometry(), Enumerable.Range(0, collection.Schema.Properties.Count).Select(reader.GetValue).ToArray());
    }

    [Fact]
    public async Task CreateCollectionAsync_IsListedEmptyWithItsSchema()
    {
        var collection = await CreateAsync();

        Assert.Equal(GeometryKind.Point, collection.Schema.GeometryType);
        Assert.Equal(TestPlaces.Properties.Select(p => (p.Name, p.Type)), collection.Schema.Properties.Select(p => (p.Name, p.Type)));
        Assert.Equal(0, await collection.CountAsync(new FeatureQuery(), None));
    }

    [Fact]
    public async Task CreateCollectionAsync_KeepsNullabilityAndStringLengths()
    {
        var schema = new CollectionSchema("w" + Guid.NewGuid().ToString("N")[..12], "Codes", null, GeometryKind.Geometry,
            GeometryServices.Crs84Srid, FeatureIdKind.Integer, [new("code", PropertyType.String, Nullable: false, MaxLength: 8)], null);

        await store.CreateCollectionAsync(schema, None);

        var code = (await store.GetCollectionsAsync(None)).Single(c => c.Schema.Id == schema.Id).Schema.FindProperty("code");
        Assert.Equal(new PropertySchema("code", PropertyType.String, false, 8), code);
    }

    [Fact]
    public async Task CreateCollectionAsync_ExistingId_IsAConflict()
    {
        var collection = await CreateAsync();

        await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateCollectionAsync(collection.Schema, None));
    }

    [Fact]
    public async Task DeleteCollectionAsync_RemovesItAndFreesTheId()
    {
        var collection = await CreateAsync();
        await collection.InsertAsync(new FeatureRecord(null, Point(1, 2), Values("a", 1)), WriteHooks.None, None);

        Assert.True(await store.DeleteCollectionAsync(collection.Schema.Id, None));

        Assert.DoesNotContain((await store.GetCollectionsAsync(None)), c => c.Schema.Id == collection.Schema.Id);
        Assert.False(await store.DeleteCollectionAsync(collection.Schema.Id, None));
        await store.CreateCollectionAsync(collection.Schema, None);
        Assert.Contains((await store.GetCollectionsAsync(None)), c => c.Schema.Id == collection.Schema.Id);
    }

    [Fact]
    public async Task InsertAsync_AssignsIdsAndStoresEveryValue()
    {
        var collection = await CreateAsync();
        var feature = TestPlaces.All[0];

        var first = await collection.InsertAsync(feature, WriteHooks.None, None);
        var second = await collection.InsertAsync(TestPlaces.All[5], WriteHooks.None, None);

        Assert.NotEqual(first, second);
        var stored = await GetAsync(collection, first);
        Assert.NotNull(stored);
        Assert.Equal(2.35, stored.Value.Geometry!.Coordinate.X, 9);
        Assert.Equal(TestPlaces.Properties.Select(p => feature.Properties[p.Name]), stored.Value.Values);
        Assert.Equal(new object?[6], (await GetAsync(collection, second))!.Value.Values);
    }

    [Fact]
    public async Task Writes_KeepTheSpatialIndexInStep()
    {
        var collection = await CreateAsync();
        var id = await collection.InsertAsync(new FeatureRecord(null, Point(10, 10), Values("moving", 1)), WriteHooks.None, None);
        Assert.Equal([id], await IdsAsync(collection, Box(9, 9, 11, 11)));

        await collection.UpdateAsync(id, new FeaturePatch(true, Point(-50, -20), new Dictionary<string, object?>()), WriteHooks.None, None);
        Assert.Empty(await IdsAsync(collection, Box(9, 9, 11, 11)));
        Assert.Equal([id], await IdsAsync(collection, Box(-51, -21, -49, -19)));

        await collection.DeleteAsync(id, WriteHooks.None, None);
        Assert.Empty(await IdsAsync(collection, Box(-51, -21, -49, -19)));
        Assert.Equal(0, await collection.CountAsync(new FeatureQuery(), None));
    }

    [Fact]
    public async Task UpdateAsync_ChangesOnlyWhatThePatchNames()
    {
        var collection = await CreateAsync();
        var id = await collection.InsertAsync(TestPlaces.All[1], WriteHooks.None, None);

        var outcome = await collection.UpdateAsync(id, new FeaturePatch(false, null, new Dictionary<string, object?> { ["population"] = 1L, ["area"] = null }),
            WriteHooks.None, None);

        Assert.Equal(WriteOutcome.Written, outcome);
        var (geometry, values) = (await GetAsync(collection, id))!.Value;
        Assert.Equal(4.83, geometry!.Coordinate.X, 9);
        Assert.Equal("Lyon", values[0]);
        Assert.Equal(1L, values[1]);
        Assert.Null(values[2]);
        Assert.Equal(false, values[3]);
    }

    [Fact]
    public async Task ReplaceAsync_ClearsWhatTheRecordLeavesOut()
    {
        var collection = await CreateAsync();
        var id = await collection.InsertAsync(TestPlaces.All[2], WriteHooks.None, None);

        var outcome = await collection.ReplaceAsync(id, new FeatureRecord(null, null, Values("Bonn", 300_000)), WriteHooks.None, None);

        Assert.Equal(WriteOutcome.Written, outcome);
        var (geometry, values) = (await GetAsync(collection, id))!.Value;
        Assert.Null(geometry);
        Assert.Equal(new object?[] { "Bonn", 300_000L, null, null, null, null }, values);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("not-an-id")]
    public async Task WritesToAMissingFeature_AreNotFound(string id)
    {
        var collection = await CreateAsync();
        await collection.InsertAsync(TestPlaces.All[0], WriteHooks.None, None);

        Assert.Equal(WriteOutcome.NotFound, await collection.UpdateAsync(id, new FeaturePatch(false, null, Values("x", 1)), WriteHooks.None, None));
        Assert.Equal(WriteOutcome.NotFound, await collection.ReplaceAsync(id, TestPlaces.All[1], WriteHooks.None, None));
        Assert.Equal(WriteOutcome.NotFound, await collection.DeleteAsync(id, WriteHooks.None, None));
        Assert.Equal(1, await collection.CountAsync(new FeatureQuery(), None));
    }

    [Fact]
    public async Task Hooks_SeeTheFeatureBeforeAndAfter_AndARefusalChangesNothing()
    {
        var collection = await CreateAsync();
        var id = await collection.InsertAsync(new FeatureRecord(null, Point(1, 1), Values("before", 1)), WriteHooks.None, None);
        string? seenBefore = null, seenAfter = null;
        var hooks = new WriteHooks
        {
            Precondition = r => (seenBefore = (string?)r.GetValue(0)) == "before",
            Written = r => seenAfter = (string?)r.GetValue(0),
        };

        Assert.Equal(WriteOutcome.Written, await collection.UpdateAsync(id, new FeaturePatch(false, null, Values("after", 2)), hooks, None));
        Assert.Equal(("before", "after"), (seenBefore, seenAfter));

        Assert.Equal(WriteOutcome.PreconditionFailed, await collection.UpdateAsync(id, new FeaturePatch(false, null, Values("again", 3)), hooks, None));
        Assert.Equal(WriteOutcome.PreconditionFailed, await collection.DeleteAsync(id, hooks, None));
        Assert.Equal("after", (await GetAsync(collection, id))!.Value.Values[0]);
    }

    [Fact]
    public async Task InsertAsync_ValueOfTheWrongType_IsRefusedAndNothingIsWritten()
    {
        var collection = await CreateAsync();

        await Assert.ThrowsAsync<InvalidFeatureException>(() => collection.InsertAsync(
            new FeatureRecord(null, Point(0, 0), new Dictionary<string, object?> { ["population"] = "many" }), WriteHooks.None, None));
        await Assert.ThrowsAsync<InvalidFeatureException>(() => collection.InsertAsync(
            new FeatureRecord(null, Point(0, 0), new Dictionary<string, object?> { ["nonexistent"] = 1L }), WriteHooks.None, None));

        Assert.Equal(0, await collection.CountAsync(new FeatureQuery(), None));
    }

    [Fact]
    public async Task ConcurrentWrites_AllCommitWithDistinctIds()
    {
        var collection = await CreateAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            collection.InsertAsync(new FeatureRecord(null, Point(i, i), Values("n" + i, i)), WriteHooks.None, None)));

        Assert.Equal(16, ids.Distinct().Count());
        Assert.Equal(16, await collection.CountAsync(new FeatureQuery(), None));
    }

    [Fact]
    public async Task WebMercatorCollection_TakesAndGivesCrs84()
    {
        var collection = await CreateAsync(3857);

        var id = await collection.InsertAsync(new FeatureRecord(null, Point(13.4, 52.52), Values("Berlin", 1)), WriteHooks.None, None);

        var geometry = (await GetAsync(collection, id))!.Value.Geometry!;
        Assert.Equal(13.4, geometry.Coordinate.X, 6);
        Assert.Equal(52.52, geometry.Coordinate.Y, 6);
        Assert.Equal([id], await IdsAsync(collection, Box(13, 52, 14, 53)));
    }
}
