using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Testing;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Tests.PostGis;

public sealed class PostGisDiscoveryFixture : PostGisFixture
{
    public const string HostileName = "weird\"; drop table x; --";

    protected override Task SeedAsync(PostGisTestDatabase database) => database.ExecuteAsync(""""
        CREATE TABLE places (id integer PRIMARY KEY, name text, geom geometry(Point, 4326));
        COMMENT ON TABLE places IS 'Populated places';
        INSERT INTO places VALUES (1, 'one', 'SRID=4326;POINT(1 1)'), (2, 'two', 'SRID=4326;POINT(2 2)');
        CREATE TABLE codes (code varchar(10) PRIMARY KEY, geom geometry(Point, 4326));
        CREATE TABLE uuids (key uuid PRIMARY KEY, geom geometry(Point, 4326));
        CREATE VIEW places_view AS SELECT id AS gid, name, geom FROM places;
        CREATE TABLE no_id (name text, geom geometry(Point, 4326));
        CREATE TABLE composite_key (a int, b int, geom geometry(Point, 4326), PRIMARY KEY (a, b));
        CREATE SCHEMA other;
        CREATE TABLE other.roads (id bigint PRIMARY KEY, geom geometry(LineString, 3857));
        CREATE TABLE two_geometries (id int PRIMARY KEY, label text, first geometry(Polygon, 4326), second geometry(Point, 4326));
        CREATE TABLE no_srid (id int PRIMARY KEY, geom geometry);
        CREATE TABLE typed (
            id bigserial PRIMARY KEY, i2 smallint, i4 integer NOT NULL DEFAULT 0, i8 bigint, f4 real, f8 double precision, n numeric,
            t text, v varchar(20), c char(3), u uuid, b boolean, d date, ts timestamp, tstz timestamptz, j jsonb, arr integer[],
            geom geometry(MultiPolygon, 4326));
        CREATE TABLE x (id integer PRIMARY KEY);
        CREATE TABLE "weird""; drop table x; --" (id integer PRIMARY KEY, "odd ""col""" text, geom geometry(Point, 4326));
        INSERT INTO "weird""; drop table x; --" VALUES (7, 'seven', 'SRID=4326;POINT(7 7)');
        CREATE TABLE no_geometry (id integer PRIMARY KEY, name text);
        """");
}

public sealed class PostGisDiscoveryTests(PostGisDiscoveryFixture fixture) : IClassFixture<PostGisDiscoveryFixture>
{
    private PostGisTestDatabase Database => fixture.Database;

    [Fact]
    public async Task GetCollectionsAsync_TableWithIntegerKey_PublishesItWithIntegerIds()
    {
        await using var store = Stores.Open(Database);

        var schema = (await store.CollectionAsync("places")).Schema;

        Assert.Equal("places", schema.Title);
        Assert.Equal("Populated places", schema.Description);
        Assert.Equal(FeatureIdKind.Integer, schema.IdKind);
        Assert.Equal(GeometryKind.Point, schema.GeometryType);
        Assert.Equal(4326, schema.StorageSrid);
        Assert.Equal([new PropertySchema("name", PropertyType.String)], schema.Properties);
        Assert.Null(schema.TemporalProperty);
    }

    [Theory]
    [InlineData("codes")]
    [InlineData("uuids")]
    public async Task GetCollectionsAsync_TableWithTextOrUuidKey_PublishesTextIds(string table)
    {
        await using var store = Stores.Open(Database);

        var schema = (await store.CollectionAsync(table)).Schema;

        Assert.Equal(FeatureIdKind.Text, schema.IdKind);
        Assert.Empty(schema.Properties);
    }

    [Fact]
    public async Task GetCollectionsAsync_ViewWithGidColumn_UsesGidAsId()
    {
        await using var store = Stores.Open(Database);
        var view = await store.CollectionAsync("places_view");

        var features = await (await view.GetAsync("2", CancellationToken.None)).ReadAllAsync(1);

        Assert.Equal(FeatureIdKind.Integer, view.Schema.IdKind);
        Assert.Equal(["name"], view.Schema.Properties.Select(p => p.Name));
        Assert.Equal("2", Assert.Single(features).Id);
    }

    [Theory]
    [InlineData("no_id")]
    [InlineData("composite_key")]
    public async Task GetCollectionsAsync_RelationWithoutUsableId_SkipsItWithOneWarning(string table)
    {
        var logger = new ListLogger<PostGisFeatureStore>();
        var time = new ManualTimeProvider();
        await using var store = Stores.Open(Database, logger: logger, time: time);

        var first = await store.GetCollectionsAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await store.GetCollectionsAsync(CancellationToken.None);

        Assert.DoesNotContain(first, c => c.Schema.Id == table);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(table, StringComparison.Ordinal));
        Assert.Contains("primary key", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCollectionsAsync_TableInAnotherSchema_IdIsSchemaDotTable()
    {
        await using var store = Stores.Open(Database);

        var schema = (await store.CollectionAsync("other.roads")).Schema;

        Assert.Equal(3857, schema.StorageSrid);
        Assert.Equal(GeometryKind.LineString, schema.GeometryType);
    }

    [Fact]
    public async Task GetCollectionsAsync_SeveralGeometryColumns_PublishesTheFirstAndNoneAsProperty()
    {
        await using var store = Stores.Open(Database);

        var schema = (await store.CollectionAsync("two_geometries")).Schema;

        Assert.Equal(GeometryKind.Polygon, schema.GeometryType);
        Assert.Equal(["label"], schema.Properties.Select(p => p.Name));
    }

    [Fact]
    public async Task GetCollectionsAsync_GeometryWithoutSrid_IsTakenAsCrs84()
    {
        await using var store = Stores.Open(Database);

        var schema = (await store.CollectionAsync("no_srid")).Schema;

        Assert.Equal(4326, schema.StorageSrid);
        Assert.Equal(GeometryKind.Geometry, schema.GeometryType);
    }

    [Fact]
    public async Task GetCollectionsAsync_ColumnTypes_MapToPropertyTypes()
    {
        await using var store = Stores.Open(Database);

        var schema = (await store.CollectionAsync("typed")).Schema;

        Assert.Equal(
            [
                ("i2", PropertyType.Integer), ("i4", PropertyType.Integer), ("i8", PropertyType.Integer),
                ("f4", PropertyType.Number), ("f8", PropertyType.Number), ("n", PropertyType.Number),
                ("t", PropertyType.String), ("v", PropertyType.String), ("c", PropertyType.String), ("u", PropertyType.String),
                ("b", PropertyType.Boolean), ("d", PropertyType.Date), ("ts", PropertyType.DateTime), ("tstz", PropertyType.DateTime),
                ("j", PropertyType.Other), ("arr", PropertyType.Other),
            ],
            schema.Properties.Select(p => (p.Name, p.Type)));
        Assert.False(schema.FindProperty("i4")!.Nullable);
        Assert.True(schema.FindProperty("i8")!.Nullable);
        Assert.Equal("d", schema.TemporalProperty);
        Assert.Equal(GeometryKind.MultiPolygon, schema.GeometryType);
    }

    [Fact]
    public async Task GetCollectionsAsync_TableWithoutGeometry_IsNotACollection()
    {
        await using var store = Stores.Open(Database);

        var collections = await store.GetCollectionsAsync(CancellationToken.None);

        Assert.DoesNotContain(collections, c => c.Schema.Id is "no_geometry" or "x");
    }

    [Theory]
    [InlineData(new[] { "places" }, new string[0], new[] { "places" })]
    [InlineData(new[] { "places*" }, new string[0], new[] { "places", "places_view" })]
    [InlineData(new[] { "other.*", "codes" }, new string[0], new[] { "codes", "other.roads" })]
    [InlineData(new[] { "*" }, new[] { "*s", "*_view", "typed", "weird*", "no_*", "two_*" }, new string[0])]
    [InlineData(new string[0], new[] { "*_*", "*.*", "weird*", "typed" }, new[] { "codes", "places", "uuids" })]
    [InlineData(new[] { "PLACES" }, new string[0], new string[0])]
    public async Task GetCollectionsAsync_IncludeAndExclude_FilterCollectionIds(string[] include, string[] exclude, string[] expected)
    {
        await using var store = Stores.Open(Database, include, exclude);

        var collections = await store.GetCollectionsAsync(CancellationToken.None);

        Assert.Equal(expected, collections.Select(c => c.Schema.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("places", true)]
    [InlineData("PLACES", true)]
    [InlineData("Places_View", true)]
    [InlineData("other.roads", true)]
    [InlineData("Other.Roads", true)]
    [InlineData(PostGisDiscoveryFixture.HostileName, true)]
    [InlineData("no_id", false)]
    [InlineData("no_geometry", false)]
    [InlineData("x", false)]
    [InlineData("roads", false)]
    [InlineData("missing", false)]
    public async Task HasCollectionAsync_AnswersAsDiscoveryDoes_CaseIgnored(string id, bool exists)
    {
        await using var store = Stores.Open(Database);
        IFeatureStore discovering = store;

        Assert.Equal(exists, await store.HasCollectionAsync(id, CancellationToken.None));
        Assert.Equal(exists, (await discovering.GetCollectionsAsync(CancellationToken.None))
            .Any(c => string.Equals(c.Schema.Id, id, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task HasCollectionAsync_ExcludedRelation_DoesNotExist()
    {
        await using var store = Stores.Open(Database, exclude: ["places"]);

        Assert.False(await store.HasCollectionAsync("places", CancellationToken.None));
        Assert.True(await store.HasCollectionAsync("codes", CancellationToken.None));
    }

    [Fact]
    public async Task GetCollectionsAsync_TableCreatedLater_AppearsOnceTheCacheExpires()
    {
        // A database of its own: the new table must not show up in the other tests' listings.
        await using var database = await PostGisTestDatabase.CreateAsync();
        var time = new ManualTimeProvider();
        await using var store = Stores.Open(database, time: time);
        Assert.Empty(await store.GetCollectionsAsync(CancellationToken.None));

        await database.ExecuteAsync("CREATE TABLE late_arrival (id integer PRIMARY KEY, geom geometry(Point, 4326))");
        var cached = await store.GetCollectionsAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(6));
        var refreshed = await store.GetCollectionsAsync(CancellationToken.None);

        Assert.Empty(cached);
        Assert.Equal("late_arrival", Assert.Single(refreshed).Schema.Id);
    }

    [Fact]
    public async Task Rediscover_AfterAMiss_SeesATableCreatedElsewhereAtOnce_ButNotWithinMilliseconds()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();
        var time = new ManualTimeProvider();
        await using var store = Stores.Open(database, time: time);
        Assert.Empty(await store.GetCollectionsAsync(CancellationToken.None));
        await database.ExecuteAsync("CREATE TABLE loaded_by_a_worker (id integer PRIMARY KEY, geom geometry(Point, 4326))");

        ((IFeatureStore)store).Rediscover();
        var tooSoon = await store.GetCollectionsAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        ((IFeatureStore)store).Rediscover();
        var renewed = await store.GetCollectionsAsync(CancellationToken.None);

        Assert.Empty(tooSoon);
        Assert.Equal("loaded_by_a_worker", Assert.Single(renewed).Schema.Id);
    }

    [Fact]
    public async Task QueryAsync_HostileTableAndColumnNames_AreServedAndNothingIsDropped()
    {
        await using var store = Stores.Open(Database);
        var weird = await store.CollectionAsync(PostGisDiscoveryFixture.HostileName);

        var all = await (await weird.QueryAsync(new FeatureQuery(), CancellationToken.None)).ReadAllAsync(1);
        var filtered = await weird.CountAsync(
            new FeatureQuery { Equalities = [new PropertyEquals(weird.Schema.Properties[0], "seven")] }, CancellationToken.None);
        var extent = await weird.GetExtentAsync(CancellationToken.None);

        Assert.Equal("odd \"col\"", Assert.Single(weird.Schema.Properties).Name);
        var feature = Assert.Single(all);
        Assert.Equal(("7", "seven"), (feature.Id, feature.Values[0]));
        Assert.Equal(1, filtered);
        Assert.Equal(7, extent!.MinX);
        Assert.True(await Database.ScalarAsync<bool>("SELECT to_regclass('public.x') IS NOT NULL"));
    }

    [Fact]
    public async Task CheckHealthAsync_ReachableServer_Succeeds()
    {
        await using var store = Stores.Open(Database);

        await store.CheckHealthAsync(CancellationToken.None);

        Assert.StartsWith("postgis:127.0.0.1:", store.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_NothingListening_Throws()
    {
        await using var store = new PostGisFeatureStore(
            new PostGisStoreOptions { ConnectionString = "postgres://u:p@127.0.0.1:1/none?connect_timeout=2" },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PostGisFeatureStore>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() => store.CheckHealthAsync(CancellationToken.None));
    }
}
