using Meridian.Storage.PostGis;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using Meridian.Testing;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>Item writes to tables the API did not create: other id types, column types, projections, views.</summary>
public sealed class PostGisWriteTests(PostGisWriteTests.Tables fixture) : IClassFixture<PostGisWriteTests.Tables>, IAsyncLifetime
{
    public sealed class Tables : PostGisFixture
    {
        protected override Task SeedAsync(PostGisTestDatabase database) => database.ExecuteAsync("""
            CREATE TABLE uuids (id uuid PRIMARY KEY, geom geometry(Point, 4326), small int2, code varchar(5));
            CREATE TABLE manual (id int4 PRIMARY KEY, geom geometry(Point, 4326), name text);
            CREATE TABLE serials (gid serial PRIMARY KEY, geom geometry(Point, 3857), name text);
            CREATE VIEW serial_view AS SELECT gid AS id, geom, name FROM serials;
            """);
    }

    private static readonly CancellationToken None = CancellationToken.None;
    private PostGisFeatureStore _store = null!;

    public Task InitializeAsync()
    {
        _store = Stores.Open(fixture.Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static Point At(double x, double y) => GeometryServices.Factory.CreatePoint(new Coordinate(x, y));

    private static FeatureRecord Feature(params (string Name, object? Value)[] properties) =>
        new(null, At(1, 2), properties.ToDictionary(p => p.Name, p => p.Value));

    private async Task<IWritableFeatureCollection> TableAsync(string id) =>
        Assert.IsAssignableFrom<IWritableFeatureCollection>(await _store.CollectionAsync(id));

    [Fact]
    public async Task UuidIds_AreGeneratedAndColumnLimitsAreInvalidFeatures()
    {
        var table = await TableAsync("uuids");

        var id = await table.InsertAsync(Feature(("small", 7L), ("code", "abc")), WriteHooks.None, None);

        Assert.True(Guid.TryParse(id, out _));
        await Assert.ThrowsAsync<InvalidFeatureException>(() => table.InsertAsync(Feature(("small", 70_000L)), WriteHooks.None, None));
        await Assert.ThrowsAsync<InvalidFeatureException>(() => table.InsertAsync(Feature(("code", "too long")), WriteHooks.None, None));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM uuids"));
    }

    [Fact]
    public async Task IntegerIdWithoutDefault_IsAConflictAndWritesNothing()
    {
        var table = await TableAsync("manual");

        await Assert.ThrowsAsync<StoreConflictException>(() => table.InsertAsync(Feature(("name", "x")), WriteHooks.None, None));

        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM manual"));
    }

    [Fact]
    public async Task ProjectedTable_StoresInItsSridAndViewsAreReadOnly()
    {
        var table = await TableAsync("serials");

        var id = await table.InsertAsync(new FeatureRecord(null, At(13.4, 52.52), new Dictionary<string, object?> { ["name"] = "Berlin" }),
            WriteHooks.None, None);

        Assert.Equal(3857, await fixture.Database.ScalarAsync<int>($"SELECT ST_SRID(geom) FROM serials WHERE gid = {int.Parse(id)}"));
        Assert.Equal(1491681.0, await fixture.Database.ScalarAsync<double>($"SELECT round(ST_X(geom)) FROM serials WHERE gid = {int.Parse(id)}"));
        Assert.IsNotAssignableFrom<IWritableFeatureCollection>(await _store.CollectionAsync("serial_view"));
    }
}
