using Meridian.Storage.Analysis;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>Buffer and dissolve as one statement inside the database (<see cref="IGeometrySql"/>).</summary>
public sealed class PostGisGeometrySqlTests(PostGisGeometrySqlTests.Tables fixture) : IClassFixture<PostGisGeometrySqlTests.Tables>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private PostGisFeatureStore _store = null!;

    /// <summary>A table as other software makes it: projected, with int4, numeric and varchar columns.</summary>
    public sealed class Tables : PostGisFixture
    {
        protected override Task SeedAsync(PostGisTestDatabase database) => database.ExecuteAsync("""
            CREATE TABLE sites (gid serial PRIMARY KEY, kind varchar(10), rank int4, score numeric, geom geometry(Point, 3857));
            INSERT INTO sites (kind, rank, score, geom) VALUES
              ('a', 1, 1.5, ST_Transform('SRID=4326;POINT(10 50)'::geometry, 3857)),
              ('a', 2, 2.5, ST_Transform('SRID=4326;POINT(10.001 50)'::geometry, 3857)),
              ('b', 3, 3.5, ST_Transform('SRID=4326;POINT(20 50)'::geometry, 3857));
            """);
    }

    public Task InitializeAsync()
    {
        _store = Stores.Open(fixture.Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static CollectionSchema Target(string id, GeometryKind kind, params PropertySchema[] properties) =>
        new(id, id, null, kind, 4326, FeatureIdKind.Integer, properties, null);

    private async Task<List<(Dictionary<string, object?> Properties, NetTopologySuite.Geometries.Geometry Geometry)>> ReadAsync(string id)
    {
        var collection = await _store.CollectionAsync(id);
        var rows = new List<(Dictionary<string, object?>, NetTopologySuite.Geometries.Geometry)>();
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 100 }, None);
        while (await reader.ReadAsync(None))
            rows.Add((collection.Schema.Properties.Select((p, i) => (p.Name, reader.GetValue(i))).ToDictionary(p => p.Name, p => p.Item2), reader.ReadGeometry()!));
        return rows;
    }

    [Fact]
    public async Task Owns_OnlyItsOwnCollections()
    {
        await using var other = Stores.Open(fixture.Database);
        using var directory = new TempDirectory();
        var embedded = new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance);
        await embedded.LoadAsync(Target("here", GeometryKind.Point), AsyncEnumerable.Empty<FeatureRecord>(), None);

        Assert.True(_store.Owns(await _store.CollectionAsync("sites")));
        Assert.False(_store.Owns(await other.CollectionAsync("sites")));
        Assert.False(_store.Owns(await embedded.CollectionAsync("here")));
    }

    [Fact]
    public async Task RunAsync_Buffer_CopiesPropertiesFromAProjectedTable()
    {
        var target = Target("sites_buffered", GeometryKind.MultiPolygon,
            new PropertySchema("kind", PropertyType.String), new PropertySchema("rank", PropertyType.Integer), new PropertySchema("score", PropertyType.Number));

        var count = await _store.RunAsync(new GeometrySqlOperation(await _store.CollectionAsync("sites"), null, 100, false, null, target), None);

        Assert.Equal(3, count);
        var rows = await ReadAsync("sites_buffered");
        Assert.Equal([("a", 1L, 1.5), ("a", 2L, 2.5), ("b", 3L, 3.5)], rows.Select(r => ((string)r.Properties["kind"]!, (long)r.Properties["rank"]!, (double)r.Properties["score"]!)));
        Assert.Equal("MultiPolygon", rows[0].Geometry.GeometryType);
        Assert.True(rows[0].Geometry.Contains(NetTopologySuite.Geometries.Geometry.DefaultFactory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(10, 50))));
        Assert.Equal(4326, await fixture.Database.ScalarAsync<int>("SELECT Find_SRID('public', 'sites_buffered', 'geom')"));
    }

    [Fact]
    public async Task RunAsync_DissolveBy_OneRowPerValue()
    {
        var target = Target("sites_by_kind", GeometryKind.MultiPolygon, new PropertySchema("kind", PropertyType.String));

        await _store.RunAsync(new GeometrySqlOperation(await _store.CollectionAsync("sites"), null, 1000, true, "kind", target), None);

        var rows = (await ReadAsync("sites_by_kind")).OrderBy(r => (string)r.Properties["kind"]!).ToList();
        Assert.Equal(["a", "b"], rows.Select(r => (string)r.Properties["kind"]!));
        // The two close points' buffers overlap: one polygon.
        Assert.Equal(1, rows[0].Geometry.NumGeometries);
    }

    [Fact]
    public async Task RunAsync_TargetExists_ConflictAndNothingChanged()
    {
        await fixture.Database.ExecuteAsync("CREATE TABLE taken (id int PRIMARY KEY, geom geometry(Point, 4326)); INSERT INTO taken VALUES (1, 'SRID=4326;POINT(0 0)')");

        await Assert.ThrowsAsync<StoreConflictException>(async () => await _store.RunAsync(
            new GeometrySqlOperation(await _store.CollectionAsync("sites"), null, 100, false, null, Target("taken", GeometryKind.MultiPolygon)), None));

        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM taken"));
    }
}
