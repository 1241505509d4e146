using Meridian.Storage;
using Meridian.Storage.Filtering;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Storage.Tests;

/// <summary>
/// The feature-store port's contract. Every adapter runs these same tests against a real engine; each test
/// loads its own uniquely named collection through the port, so tests do not depend on one another.
/// </summary>
public abstract partial class FeatureStoreContract(IWritableFeatureStore store)
{
    private static WKTReader Wkt => TestPlaces.Wkt;

    protected static IReadOnlyList<PropertySchema> PlaceProperties => TestPlaces.Properties;

    protected static IReadOnlyList<FeatureRecord> Places => TestPlaces.All;

    private static string NewCollectionId() => "c" + Guid.NewGuid().ToString("N")[..12];

    protected async Task<IFeatureCollection> LoadPlacesAsync(string? id = null) =>
        await LoadAsync(new CollectionSchema(id ?? NewCollectionId(), "Places", "Test places", GeometryKind.Point,
            GeometryServices.Crs84Srid, FeatureIdKind.Integer, PlaceProperties, "observed"), Places);

    protected async Task<IFeatureCollection> LoadAsync(CollectionSchema schema, IEnumerable<FeatureRecord> features)
    {
        var loaded = await store.LoadAsync(schema, features.ToAsyncEnumerable(), CancellationToken.None);
        Assert.Equal(features.Count(), loaded);
        return await FindAsync(schema.Id) ?? throw new Xunit.Sdk.XunitException($"collection {schema.Id} not listed after its load");
    }

    protected async Task<IFeatureCollection?> FindAsync(string id) =>
        (await store.GetCollectionsAsync(CancellationToken.None)).FirstOrDefault(c => c.Schema.Id == id);

    protected static async Task<List<(string Id, Geometry? Geometry, object?[] Values)>> ReadAllAsync(IFeatureReader reader, int propertyCount)
    {
        var rows = new List<(string, Geometry?, object?[])>();
        await using (reader)
        {
            while (await reader.ReadAsync(CancellationToken.None))
                rows.Add((reader.Id, reader.ReadGeometry(), Enumerable.Range(0, propertyCount).Select(reader.GetValue).ToArray()));
        }
        return rows;
    }

    private static async Task<List<string>> NamesAsync(IFeatureCollection collection, FeatureQuery query)
    {
        var rows = await ReadAllAsync(await collection.QueryAsync(query, CancellationToken.None), collection.Schema.Properties.Count);
        return rows.Select(r => r.Values[0] as string ?? "(none)").ToList();
    }

    [Fact]
    public async Task LoadAsync_NewCollection_IsListedWithItsSchema()
    {
        var collection = await LoadPlacesAsync();

        Assert.Equal(GeometryKind.Point, collection.Schema.GeometryType);
        Assert.Equal(GeometryServices.Crs84Srid, collection.Schema.StorageSrid);
        Assert.Equal("observed", collection.Schema.TemporalProperty);
        foreach (var expected in PlaceProperties)
            Assert.Equal(expected.Type, collection.Schema.FindProperty(expected.Name)?.Type);
    }

    [Fact]
    public async Task QueryAsync_NoFilter_ReturnsLimitPlusOneInIdOrder()
    {
        var collection = await LoadPlacesAsync();

        var rows = await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 3 }, CancellationToken.None), 6);

        Assert.Equal(["Paris", "Lyon", "Berlin", "Labasa"], rows.Select(r => (string)r.Values[0]!));
        var ids = rows.Select(r => long.Parse(r.Id)).ToList();
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task QueryAsync_ValuesOfEveryType_RoundTrip()
    {
        var collection = await LoadPlacesAsync();

        var rows = await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 10 }, CancellationToken.None), 6);
        var paris = rows[0];

        Assert.Equal("Paris", paris.Values[0]);
        Assert.Equal(2_100_000L, paris.Values[1]);
        Assert.Equal(105.4, (double)paris.Values[2]!, 6);
        Assert.Equal(true, paris.Values[3]);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), paris.Values[4]);
        Assert.Equal(new DateOnly(300, 1, 1), paris.Values[5]);
        Assert.Equal(new Coordinate(2.35, 48.85), paris.Geometry!.Coordinate);
        Assert.All(rows[5].Values, Assert.Null);
        Assert.Null(rows[5].Geometry);
    }

    [Fact]
    public async Task QueryAsync_Bbox_ReturnsOnlyIntersectingFeatures()
    {
        var collection = await LoadPlacesAsync();

        var names = await NamesAsync(collection, new FeatureQuery { BoundingBoxes = [new Envelope(0, 10, 40, 50)], Limit = 10 });

        Assert.Equal(["Paris", "Lyon"], names);
    }

    [Fact]
    public async Task QueryAsync_TwoBoxesAcrossTheAntimeridian_ReturnsBothSides()
    {
        var collection = await LoadPlacesAsync();
        Envelope[] boxes = [new Envelope(170, 180, -20, -10), new Envelope(-180, -170, -20, -10)];

        var names = await NamesAsync(collection, new FeatureQuery { BoundingBoxes = boxes, Limit = 10 });

        Assert.Equal(["Labasa", "Apia"], names);
    }

    [Fact]
    public async Task QueryAsync_BboxOverlappingOnlyTheEnvelope_DoesNotMatchThePolygon()
    {
        var schema = new CollectionSchema(NewCollectionId(), "Zones", null, GeometryKind.Polygon, GeometryServices.Crs84Srid,
            FeatureIdKind.Integer, [new PropertySchema("name", PropertyType.String)], null);
        var collection = await LoadAsync(schema,
        [
            new(null, Wkt.Read("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"), new Dictionary<string, object?> { ["name"] = "square" }),
            new(null, Wkt.Read("POLYGON ((20 0, 30 0, 30 2, 22 2, 22 10, 20 10, 20 0))"), new Dictionary<string, object?> { ["name"] = "ell" }),
        ]);

        Assert.Empty(await NamesAsync(collection, new FeatureQuery { BoundingBoxes = [new Envelope(23, 29, 5, 9)], Limit = 10 }));
        Assert.Equal(["square"], await NamesAsync(collection, new FeatureQuery { BoundingBoxes = [new Envelope(5, 19, 5, 9)], Limit = 10 }));
        Assert.Equal(["ell"], await NamesAsync(collection, new FeatureQuery { BoundingBoxes = [new Envelope(21, 29, 1, 9)], Limit = 10 }));
    }

    [Theory]
    [InlineData("2021-01-01T00:00:00Z", "2022-12-31T00:00:00Z", "Lyon,Berlin")]
    [InlineData("2023-01-01T00:00:00Z", null, "Labasa,Apia")]
    [InlineData(null, "2020-01-01T00:00:00Z", "Paris")]
    [InlineData("2022-03-01T08:30:00Z", "2022-03-01T08:30:00Z", "Berlin")]
    public async Task QueryAsync_TimeInterval_MatchesTheTemporalProperty(string? start, string? end, string expected)
    {
        var collection = await LoadPlacesAsync();
        static DateTimeOffset? Parse(string? s) => s is null ? null : DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

        var names = await NamesAsync(collection, new FeatureQuery { Time = new TimeInterval(Parse(start), Parse(end)), Limit = 10 });

        Assert.Equal(expected.Split(','), names);
    }

    [Fact]
    public async Task QueryAsync_Equalities_MatchTypedValues()
    {
        var collection = await LoadPlacesAsync();
        PropertySchema P(string name) => collection.Schema.FindProperty(name)!;

        Assert.Equal(["Lyon"], await NamesAsync(collection, new FeatureQuery { Equalities = [new(P("name"), "Lyon")], Limit = 10 }));
        Assert.Equal(["Berlin"], await NamesAsync(collection, new FeatureQuery { Equalities = [new(P("population"), 3_600_000L)], Limit = 10 }));
        Assert.Equal(["Paris", "Berlin", "Apia"], await NamesAsync(collection, new FeatureQuery { Equalities = [new(P("capital"), true)], Limit = 10 }));
        Assert.Equal(["Apia"], await NamesAsync(collection, new FeatureQuery { Equalities = [new(P("capital"), true), new(P("area"), 60.0)], Limit = 10 }));
        Assert.Equal(["Lyon"], await NamesAsync(collection, new FeatureQuery { Equalities = [new(P("founded"), new DateOnly(43, 10, 9))], Limit = 10 }));
    }

    [Fact]
    public async Task QueryAsync_KeysetCursors_PageForwardAndBackStably()
    {
        var collection = await LoadPlacesAsync();
        var first = await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 2 }, CancellationToken.None), 6);
        var afterSecond = first[1].Id;

        // A feature added while paging goes to the end: it must not shift the pages already seen.
        await store.LoadAsync(collection.Schema, Places.Take(1).ToAsyncEnumerable(), CancellationToken.None);

        var second = await NamesAsync(collection, new FeatureQuery { Limit = 2, Cursor = new PageCursor(afterSecond, Backward: false) });
        Assert.Equal(["Berlin", "Labasa", "Apia"], second);

        var rows = await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 2, Cursor = new PageCursor(afterSecond, Backward: false) }, CancellationToken.None), 6);
        var back = await NamesAsync(collection, new FeatureQuery { Limit = 2, Cursor = new PageCursor(rows[0].Id, Backward: true) });
        Assert.Equal(["Paris", "Lyon"], back);
    }

    [Fact]
    public async Task QueryAsync_CursorThatIsNotAnId_ReturnsNothing()
    {
        var collection = await LoadPlacesAsync();

        var names = await NamesAsync(collection, new FeatureQuery { Limit = 2, Cursor = new PageCursor("not-a-number", false) });

        Assert.Empty(names);
    }

    [Fact]
    public async Task CountAsync_IgnoresPagingAndAppliesFilters()
    {
        var collection = await LoadPlacesAsync();

        Assert.Equal(6, await collection.CountAsync(new FeatureQuery { Limit = 1 }, CancellationToken.None));
        Assert.Equal(2, await collection.CountAsync(new FeatureQuery { BoundingBoxes = [new Envelope(0, 10, 40, 50)], Limit = 1 }, CancellationToken.None));
    }

    [Fact]
    public async Task QueryAsync_CountMatchesWithABbox_ReportsTheTotalWithTheFirstPage()
    {
        var collection = await LoadPlacesAsync();
        var query = new FeatureQuery { BoundingBoxes = [new Envelope(-180, 180, -90, 90)], Limit = 2, CountMatches = true };

        await using var reader = await collection.QueryAsync(query, CancellationToken.None);
        Assert.True(await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(5, await reader.CountMatchedAsync(CancellationToken.None));
        Assert.Equal(5, await collection.CountAsync(query, CancellationToken.None));
    }

    [Fact]
    public async Task QueryAsync_CountMatchesOnALaterPage_CountsAfterThePage()
    {
        var collection = await LoadPlacesAsync();
        var first = await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 2 }, CancellationToken.None), 0);
        var query = new FeatureQuery { Limit = 2, CountMatches = true, Cursor = new PageCursor(first[1].Id, Backward: false) };

        await using var reader = await collection.QueryAsync(query, CancellationToken.None);
        var read = 0;
        while (await reader.ReadAsync(CancellationToken.None)) read++;

        Assert.Equal(3, read);
        Assert.Equal(6, await reader.CountMatchedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task QueryAsync_WithACql2Filter_AppliesItOrRefusesWhatItCannotRun()
    {
        var collection = await LoadPlacesAsync();
        var none = new FeatureQuery { Filter = new Filter(new BooleanLiteral(false)) };
        var unknown = new FeatureQuery { Filter = new Filter(new FunctionCall("nope", ExpressionList.Create([]))) };

        Assert.Empty(await ReadAllAsync(await collection.QueryAsync(none, CancellationToken.None), 6));
        Assert.Equal(0, await collection.CountAsync(none, CancellationToken.None));
        await Assert.ThrowsAsync<FilterException>(() => collection.QueryAsync(unknown, CancellationToken.None));
        await Assert.ThrowsAsync<FilterException>(() => collection.CountAsync(unknown, CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_ExistingUnknownAndMalformedIds()
    {
        var collection = await LoadPlacesAsync();
        var firstId = (await ReadAllAsync(await collection.QueryAsync(new FeatureQuery { Limit = 1 }, CancellationToken.None), 6))[0].Id;

        var hit = await ReadAllAsync(await collection.GetAsync(firstId, CancellationToken.None), 6);
        Assert.Equal("Paris", Assert.Single(hit).Values[0]);
        Assert.Empty(await ReadAllAsync(await collection.GetAsync("987654321", CancellationToken.None), 6));
        Assert.Empty(await ReadAllAsync(await collection.GetAsync("x'; DROP TABLE t; --", CancellationToken.None), 6));
    }

    [Fact]
    public async Task GetExtentAsync_CoversEveryGeometry()
    {
        var collection = await LoadPlacesAsync();

        var extent = await collection.GetExtentAsync(CancellationToken.None);

        // Spatial indexes may round outwards (SQLite's R-tree keeps 32-bit floats): allow 1e-4 degrees.
        Assert.NotNull(extent);
        Assert.Equal(-171.8, extent.MinX, 4);
        Assert.Equal(179.5, extent.MaxX, 4);
        Assert.Equal(-17.7, extent.MinY, 4);
        Assert.Equal(52.52, extent.MaxY, 4);
    }

    [Fact]
    public async Task GetTemporalExtentAsync_SpansTheTemporalProperty()
    {
        var collection = await LoadPlacesAsync();

        var extent = await collection.GetTemporalExtentAsync(CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), extent?.Start);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero), extent?.End);
    }

    [Fact]
    public async Task LoadAsync_BadValueMidStream_LeavesNoCollection()
    {
        var id = NewCollectionId();
        var schema = new CollectionSchema(id, id, null, GeometryKind.Point, GeometryServices.Crs84Srid, FeatureIdKind.Integer, PlaceProperties, null);
        var bad = new FeatureRecord(null, Wkt.Read("POINT (1 1)"), new Dictionary<string, object?> { ["population"] = "many" });

        await Assert.ThrowsAnyAsync<Exception>(() => store.LoadAsync(schema, Places.Take(3).Append(bad).ToAsyncEnumerable(), CancellationToken.None));

        Assert.Null(await FindAsync(id));
    }

    [Fact]
    public async Task LoadAsync_BadValueIntoExistingCollection_LeavesItUnchanged()
    {
        var collection = await LoadPlacesAsync();
        var bad = new FeatureRecord(null, Wkt.Read("POINT (1 1)"), new Dictionary<string, object?> { ["capital"] = "yes" });

        await Assert.ThrowsAnyAsync<Exception>(() => store.LoadAsync(collection.Schema, Places.Take(2).Append(bad).ToAsyncEnumerable(), CancellationToken.None));

        Assert.Equal(6, await collection.CountAsync(new FeatureQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task LoadNewAsync_CreatesACollection_AndRefusesOneThatExists()
    {
        var collection = await LoadPlacesAsync();
        var fresh = collection.Schema with { Id = "n" + Guid.NewGuid().ToString("N")[..12] };

        var loaded = await store.LoadNewAsync(fresh, Places.ToAsyncEnumerable(), CancellationToken.None);

        await Assert.ThrowsAsync<Meridian.Storage.Writing.StoreConflictException>(() =>
            store.LoadNewAsync(collection.Schema, Places.ToAsyncEnumerable(), CancellationToken.None));
        Assert.Equal(6, loaded);
        Assert.Equal(6, await collection.CountAsync(new FeatureQuery(), CancellationToken.None));
    }
}
