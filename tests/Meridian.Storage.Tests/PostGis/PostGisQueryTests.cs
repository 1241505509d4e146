using System.Text;
using System.Text.Json;
using Meridian.Storage.Querying;
using Meridian.Testing;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>
/// Twenty features whose every value derives from the id i: a point at (i, i), name "n{i}", day 2024-01-01 + i
/// days, at 2024-01-01T00:00Z + i hours, and so on; feature 21 has nothing but its id.
/// </summary>
public sealed class PostGisQueryFixture : PostGisFixture
{
    protected override Task SeedAsync(PostGisTestDatabase database) => database.ExecuteAsync("""
        CREATE TABLE things (
            id integer PRIMARY KEY, name text, label varchar(20), code char(3), ref uuid, count integer, big bigint,
            ratio double precision, tenth real, amount numeric, flag boolean, day date, at timestamptz, local_at timestamp,
            tags text[], geom geometry(Point, 4326));
        INSERT INTO things
        SELECT i, 'n' || i, 'l' || i, lpad(i::text, 3, '0'), ('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid,
               i * 10, i * 10000000000, i / 4.0, i / 10.0, i / 4.0, i % 2 = 0, date '2024-01-01' + i,
               timestamptz '2024-01-01T00:00:00Z' + i * interval '1 hour', timestamp '2024-01-01T00:00:00' + i * interval '1 hour',
               ARRAY['a' || i, 'b'], ST_SetSRID(ST_MakePoint(i, i), 4326)
        FROM generate_series(1, 20) AS i;
        INSERT INTO things (id) VALUES (21);

        CREATE TABLE events (id integer PRIMARY KEY, at timestamptz, geom geometry(Point, 4326));
        INSERT INTO events SELECT i, timestamptz '2024-01-01T00:00:00Z' + i * interval '1 hour', ST_SetSRID(ST_MakePoint(i, i), 4326)
        FROM generate_series(1, 20) AS i;
        CREATE TABLE local_events (id integer PRIMARY KEY, at timestamp, geom geometry(Point, 4326));
        INSERT INTO local_events SELECT i, timestamp '2024-01-01T00:00:00' + i * interval '1 hour', ST_SetSRID(ST_MakePoint(i, i), 4326)
        FROM generate_series(1, 20) AS i;

        CREATE TABLE merc (id bigint PRIMARY KEY, geom geometry(Point, 3857));
        INSERT INTO merc SELECT i, ST_Transform(ST_SetSRID(ST_MakePoint(i, i), 4326), 3857) FROM generate_series(1, 20) AS i;

        CREATE TABLE words (word text PRIMARY KEY, geom geometry(Point, 4326));
        INSERT INTO words SELECT chr(96 + i), ST_SetSRID(ST_MakePoint(i, i), 4326) FROM generate_series(1, 10) AS i;
        CREATE TABLE guids (id uuid PRIMARY KEY, geom geometry(Point, 4326));
        INSERT INTO guids VALUES ('00000000-0000-0000-0000-000000000001', 'SRID=4326;POINT(1 1)');

        CREATE TABLE empty (id integer PRIMARY KEY, day date, geom geometry(Point, 4326));
        """);
}

public sealed class PostGisQueryTests(PostGisQueryFixture fixture) : IClassFixture<PostGisQueryFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private Meridian.Storage.PostGis.PostGisFeatureStore _store = null!;

    public Task InitializeAsync()
    {
        _store = Stores.Open(fixture.Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<IFeatureCollection> Things => _store.CollectionAsync("things");

    private static string[] Ids(params int[] ids) => ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task QueryAsync_NoFilter_ReturnsLimitPlusOneInNumericIdOrder()
    {
        var things = await Things;

        var ids = await things.IdsAsync(new FeatureQuery { Limit = 11 });

        Assert.Equal(Ids(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), ids);
    }

    [Fact]
    public async Task QueryAsync_BoundingBox_ReturnsIntersectingFeatures()
    {
        var things = await Things;

        var ids = await things.IdsAsync(new FeatureQuery { BoundingBoxes = [new Envelope(0.5, 3.5, 0.5, 3.5)] });

        Assert.Equal(Ids(1, 2, 3), ids);
    }

    [Fact]
    public async Task QueryAsync_TwoBoundingBoxes_ReturnsFeaturesInEither()
    {
        var things = await Things;

        var ids = await things.IdsAsync(new FeatureQuery { BoundingBoxes = [new Envelope(0.5, 2.5, 0.5, 2.5), new Envelope(9.5, 10.5, 9.5, 10.5)] });

        Assert.Equal(Ids(1, 2, 10), ids);
    }

    [Fact]
    public async Task QueryAsync_Srid3857Collection_FiltersAndReturnsCrs84()
    {
        var merc = await _store.CollectionAsync("merc");

        var features = await (await merc.QueryAsync(new FeatureQuery { BoundingBoxes = [new Envelope(0.5, 3.5, 0.5, 3.5)] }, None)).ReadAllAsync(0);
        var extent = await merc.GetExtentAsync(None);

        Assert.Equal(Ids(1, 2, 3), features.Select(f => f.Id));
        foreach (var (id, geometry, _) in features)
        {
            var point = Assert.IsType<Point>(geometry);
            Assert.Equal(double.Parse(id, System.Globalization.CultureInfo.InvariantCulture), point.X, 7);
            Assert.Equal(double.Parse(id, System.Globalization.CultureInfo.InvariantCulture), point.Y, 7);
        }
        Assert.Equal(1, extent!.MinX, 6);
        Assert.Equal(1, extent.MinY, 6);
        Assert.Equal(20, extent.MaxX, 6);
        Assert.Equal(20, extent.MaxY, 6);
    }

    [Fact]
    public async Task QueryAsync_WorldBoxOnSrid3857_DoesNotFail()
    {
        var merc = await _store.CollectionAsync("merc");

        var count = await merc.CountAsync(new FeatureQuery { BoundingBoxes = [new Envelope(-180, 180, -90, 90)] }, None);

        Assert.Equal(20, count);
    }

    [Fact]
    public async Task QueryAsync_TimeOnDateProperty_ComparesWholeDays()
    {
        var things = await Things;
        var time = new TimeInterval(new DateTimeOffset(2024, 1, 3, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 5, 0, 0, 0, TimeSpan.Zero));

        var ids = await things.IdsAsync(new FeatureQuery { Time = time });

        Assert.Equal("day", things.Schema.TemporalProperty);
        Assert.Equal(Ids(2, 3, 4), ids);
    }

    [Fact]
    public async Task QueryAsync_OpenEndedTime_HasNoUpperBound()
    {
        var things = await Things;

        var ids = await things.IdsAsync(new FeatureQuery { Time = new TimeInterval(new DateTimeOffset(2024, 1, 19, 0, 0, 0, TimeSpan.Zero), null) });

        Assert.Equal(Ids(18, 19, 20), ids);
    }

    [Theory]
    [InlineData("events")]
    [InlineData("local_events")]
    public async Task QueryAsync_TimeOnTimestampProperty_IsClosedInterval(string table)
    {
        var events = await _store.CollectionAsync(table);
        // +01:00 on purpose: the bounds are instants, whatever offset they are written with.
        var time = new TimeInterval(new DateTimeOffset(2024, 1, 1, 3, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2024, 1, 1, 4, 0, 0, TimeSpan.Zero));

        var ids = await events.IdsAsync(new FeatureQuery { Time = time });

        Assert.Equal(Ids(2, 3, 4), ids);
    }

    public static TheoryData<string, object, string[]> Equalities => new()
    {
        { "name", "n3", Ids(3) },
        { "label", "l3", Ids(3) },
        { "code", "003", Ids(3) },
        { "ref", "00000000-0000-0000-0000-000000000003", Ids(3) },
        { "ref", "not a uuid", Ids() },
        { "count", 30L, Ids(3) },
        { "big", 30000000000L, Ids(3) },
        { "ratio", 0.75, Ids(3) },
        { "tenth", 0.3, Ids(3) },
        { "amount", 0.75, Ids(3) },
        { "flag", true, Ids(2, 4, 6, 8, 10, 12, 14, 16, 18, 20) },
        { "day", new DateOnly(2024, 1, 4), Ids(3) },
        { "at", new DateTimeOffset(2024, 1, 1, 3, 0, 0, TimeSpan.Zero), Ids(3) },
        { "local_at", new DateTimeOffset(2024, 1, 1, 3, 0, 0, TimeSpan.Zero), Ids(3) },
    };

    [Theory]
    [MemberData(nameof(Equalities))]
    public async Task QueryAsync_EqualityOnEachType_MatchesTypedValue(string property, object value, string[] expected)
    {
        var things = await Things;

        var ids = await things.IdsAsync(new FeatureQuery { Limit = 100, Equalities = [new PropertyEquals(things.Schema.FindProperty(property)!, value)] });

        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task QueryAsync_EqualityWithWrongValueType_Throws()
    {
        var things = await Things;

        await Assert.ThrowsAsync<ArgumentException>(() =>
            things.QueryAsync(new FeatureQuery { Equalities = [new PropertyEquals(things.Schema.FindProperty("count")!, "thirty")] }, None));
    }

    [Fact]
    public async Task CountAsync_Filters_CountsAllMatchesIgnoringPaging()
    {
        var things = await Things;
        var query = new FeatureQuery
        {
            BoundingBoxes = [new Envelope(0, 10.5, 0, 10.5)],
            Equalities = [new PropertyEquals(things.Schema.FindProperty("flag")!, true)],
            Limit = 2,
            Cursor = new PageCursor("4", false),
        };

        Assert.Equal(5, await things.CountAsync(query, None));
        Assert.Equal(21, await things.CountAsync(new FeatureQuery(), None));
    }

    [Fact]
    public async Task GetValue_EachColumnType_ReturnsThePortClrType()
    {
        var things = await Things;

        var feature = Assert.Single(await (await things.GetAsync("3", None)).ReadAllAsync(things.Schema.Properties.Count));

        Assert.Equal(
            new object?[]
            {
                "n3", "l3", "003", "00000000-0000-0000-0000-000000000003", 30L, 30000000000L, 0.75, (double)0.3f, 0.75, false,
                new DateOnly(2024, 1, 4), new DateTimeOffset(2024, 1, 1, 3, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2024, 1, 1, 3, 0, 0, TimeSpan.Zero), "{a3,b}",
            },
            feature.Values);
        Assert.All(feature.Values.OfType<DateTimeOffset>(), v => Assert.Equal(TimeSpan.Zero, v.Offset));
    }

    [Fact]
    public async Task GetValue_NullColumns_ReturnNullAndGeometryWritesNull()
    {
        var things = await Things;
        await using var reader = await things.GetAsync("21", None);
        Assert.True(await reader.ReadAsync(None));

        var values = Enumerable.Range(0, things.Schema.Properties.Count).Select(reader.GetValue);
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer)) reader.WriteGeometry(writer);

        Assert.All(values, Assert.Null);
        Assert.Null(reader.ReadGeometry());
        Assert.Equal("null", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task WriteGeometry_Feature_WritesPostGisGeoJsonAsIs()
    {
        var things = await Things;
        await using var reader = await things.GetAsync("3", None);
        Assert.True(await reader.ReadAsync(None));

        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("geometry");
            reader.WriteGeometry(writer);
            writer.WriteEndObject();
        }

        Assert.Equal("""{"geometry":{"type":"Point","coordinates":[3,3]}}""", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Theory]
    [InlineData("things", "7", true)]
    [InlineData("things", "99", false)]
    [InlineData("things", "abc", false)]
    [InlineData("things", "1.5", false)]
    [InlineData("things", "", false)]
    [InlineData("things", "99999999999999999999999", false)]
    [InlineData("things", "7; DROP TABLE things", false)]
    [InlineData("words", "c", true)]
    [InlineData("words", "zz", false)]
    [InlineData("guids", "00000000-0000-0000-0000-000000000001", true)]
    [InlineData("guids", "not-a-guid", false)]
    public async Task GetAsync_Id_YieldsTheFeatureOrNothing(string collection, string id, bool found)
    {
        var features = await (await (await _store.CollectionAsync(collection)).GetAsync(id, None)).ReadAllAsync(0);

        Assert.Equal(found ? [id] : [], features.Select(f => f.Id));
    }

    [Theory]
    [InlineData("x", false)]
    [InlineData("x", true)]
    [InlineData("", false)]
    public async Task QueryAsync_CursorKeyThatIsNoIntegerId_YieldsNothing(string key, bool backward)
    {
        var things = await Things;

        Assert.Empty(await things.IdsAsync(new FeatureQuery { Cursor = new PageCursor(key, backward) }));
    }

    [Fact]
    public async Task QueryAsync_KeysetPages_StayStableWhileRowsAreInserted()
    {
        await fixture.Database.ExecuteAsync("""
            CREATE TABLE pages (id integer PRIMARY KEY, geom geometry(Point, 4326));
            INSERT INTO pages SELECT i * 10, ST_SetSRID(ST_MakePoint(i, i), 4326) FROM generate_series(1, 10) AS i;
            """);
        var pages = await _store.CollectionAsync("pages");

        var first = await pages.IdsAsync(new FeatureQuery { Limit = 3 });
        await fixture.Database.ExecuteAsync("INSERT INTO pages VALUES (5, NULL), (15, NULL), (1000, NULL)");
        var second = await pages.IdsAsync(new FeatureQuery { Limit = 3, Cursor = new PageCursor("30", false) });
        await fixture.Database.ExecuteAsync("INSERT INTO pages VALUES (1, NULL), (25, NULL), (2000, NULL)");
        var back = await pages.IdsAsync(new FeatureQuery { Limit = 3, Cursor = new PageCursor("70", true) });
        var backToStart = await pages.IdsAsync(new FeatureQuery { Limit = 3, Cursor = new PageCursor("10", true) });

        Assert.Equal(Ids(10, 20, 30, 40), first);
        Assert.Equal(Ids(40, 50, 60, 70), second);
        Assert.Equal(Ids(30, 40, 50, 60), back);
        Assert.Equal(Ids(1, 5), backToStart);
    }

    [Fact]
    public async Task QueryAsync_TextIdPages_GoForwardAndBackwardInIdOrder()
    {
        var words = await _store.CollectionAsync("words");

        var forward = await words.IdsAsync(new FeatureQuery { Limit = 2, Cursor = new PageCursor("c", false) });
        var backward = await words.IdsAsync(new FeatureQuery { Limit = 2, Cursor = new PageCursor("f", true) });

        Assert.Equal(["d", "e", "f"], forward);
        Assert.Equal(["c", "d", "e"], backward);
    }

    [Fact]
    public async Task QueryAsync_BackwardPageWithFilter_AppliesFilterToo()
    {
        var things = await Things;

        var ids = await things.IdsAsync(new FeatureQuery
        {
            Limit = 2,
            Cursor = new PageCursor("10", true),
            Equalities = [new PropertyEquals(things.Schema.FindProperty("flag")!, true)],
        });

        Assert.Equal(Ids(4, 6, 8), ids);
    }

    [Fact]
    public async Task GetExtentAsync_Points_IsTheirBoundingBoxAndEmptyIsNull()
    {
        var extent = await (await Things).GetExtentAsync(None);
        var empty = await (await _store.CollectionAsync("empty")).GetExtentAsync(None);

        Assert.Equal(new Envelope(1, 20, 1, 20), extent);
        Assert.Null(empty);
    }

    [Theory]
    [InlineData("things", "2024-01-02T00:00:00Z", "2024-01-21T00:00:00Z")]
    [InlineData("events", "2024-01-01T01:00:00Z", "2024-01-01T20:00:00Z")]
    [InlineData("local_events", "2024-01-01T01:00:00Z", "2024-01-01T20:00:00Z")]
    public async Task GetTemporalExtentAsync_TemporalProperty_IsFirstAndLastValueInUtc(string collection, string start, string end)
    {
        var extent = await (await _store.CollectionAsync(collection)).GetTemporalExtentAsync(None);

        Assert.Equal(new TimeInterval(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture)), extent);
    }

    [Theory]
    [InlineData("merc")]
    [InlineData("empty")]
    public async Task GetTemporalExtentAsync_NoTemporalPropertyOrNoRows_IsNull(string collection)
    {
        Assert.Null(await (await _store.CollectionAsync(collection)).GetTemporalExtentAsync(None));
    }
}
