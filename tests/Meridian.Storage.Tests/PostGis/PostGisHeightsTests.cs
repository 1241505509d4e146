using System.Runtime.CompilerServices;
using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using Meridian.Testing;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>
/// What PostGIS adds to the heights contract: Z typmods a foreign client sees, a load that learns of heights part-way
/// (the table gains them, earlier rows get 0), and a 2D table that refuses heights rather than losing them.
/// </summary>
public sealed class PostGisHeightsTests(PostGisFixture fixture) : IClassFixture<PostGisFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private PostGisFeatureStore _store = null!;

    public Task InitializeAsync()
    {
        _store = Stores.Open(fixture.Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static CollectionSchema Schema(string id, bool hasZ, GeometryKind kind = GeometryKind.Point) =>
        new(id, id, null, kind, GeometryServices.Crs84Srid, FeatureIdKind.Integer, [new("n", PropertyType.Integer)], null) { HasZ = hasZ };

    private static FeatureRecord At(long n, double x, double y, double? z = null) => new(null,
        GeometryServices.Factory.CreatePoint(z is { } height ? new CoordinateZ(x, y, height) : new Coordinate(x, y)),
        new Dictionary<string, object?> { ["n"] = n });

    private static async IAsyncEnumerable<FeatureRecord> Stream(IEnumerable<FeatureRecord> features, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var feature in features)
        {
            await Task.Yield();
            yield return feature;
        }
    }

    private async Task<List<string>> TextsAsync(string table)
    {
        var texts = new List<string>();
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"SELECT ST_AsText(geom) FROM {Sql.Quote(table)} ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) texts.Add(reader.GetString(0));
        return texts;
    }

    private async Task<IFeatureCollection?> FindAsync(string id) => (await _store.GetCollectionsAsync(None)).SingleOrDefault(c => c.Schema.Id == id);

    [Fact]
    public async Task A_collection_with_heights_has_a_Z_typmod()
    {
        await _store.CreateCollectionAsync(Schema("z_typmod", hasZ: true, GeometryKind.LineString), None);

        Assert.Equal("LINESTRING 3 4326", await fixture.Database.ScalarAsync<string>(
            "SELECT type || ' ' || coord_dimension || ' ' || srid FROM geometry_columns WHERE f_table_name = 'z_typmod'"));
        Assert.Equal("geometry(LineStringZ,4326)", await fixture.Database.ScalarAsync<string>(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'z_typmod'::regclass AND attname = 'geom'"));
        Assert.True((await FindAsync("z_typmod"))!.Schema.HasZ);
    }

    [Fact]
    public async Task A_measured_column_is_not_one_with_heights()
    {
        await fixture.Database.ExecuteAsync("CREATE TABLE z_measured (id int PRIMARY KEY, geom geometry(PointM, 4326)); CREATE TABLE z_both (id int PRIMARY KEY, geom geometry(PointZM, 4326))");

        Assert.False((await FindAsync("z_measured"))!.Schema.HasZ);
        Assert.True((await FindAsync("z_both"))!.Schema.HasZ);
    }

    [Fact]
    public async Task A_load_not_declaring_heights_gains_them_with_its_first_geometry_that_has_one()
    {
        // As a backup made before manifests recorded heights restores: 2D rows first, then one with a height.
        await _store.LoadAsync(Schema("z_learned", hasZ: false), Stream([At(1, 1, 2), At(2, 3, 4), At(3, 5, 6, 7.25), At(4, 8, 9)]), None);

        Assert.Equal(["POINT Z (1 2 0)", "POINT Z (3 4 0)", "POINT Z (5 6 7.25)", "POINT Z (8 9 0)"], await TextsAsync("z_learned"));
        Assert.True((await FindAsync("z_learned"))!.Schema.HasZ);
    }

    [Fact]
    public async Task A_replacement_with_heights_gives_a_2D_collection_heights()
    {
        await _store.LoadAsync(Schema("z_replaced", hasZ: false), Stream([At(1, 1, 2)]), None);

        await _store.ReplaceAsync(Schema("z_replaced", hasZ: true), Stream([At(1, 1, 2, 3), At(2, 4, 5)]), None);

        Assert.Equal(["POINT Z (1 2 3)", "POINT Z (4 5 0)"], await TextsAsync("z_replaced"));
    }

    [Fact]
    public async Task Appending_heights_to_a_2D_collection_is_refused_and_writes_nothing()
    {
        await _store.LoadAsync(Schema("z_flat", hasZ: false), Stream([At(1, 1, 2)]), None);

        var error = await Assert.ThrowsAsync<InvalidFeatureException>(
            () => _store.LoadAsync(Schema("z_flat", hasZ: false), Stream([At(2, 3, 4), At(3, 5, 6, 100)]), None));

        Assert.Contains("#2", error.Message, StringComparison.Ordinal);
        Assert.Contains("heights", error.Message, StringComparison.Ordinal);
        Assert.Equal(["POINT(1 2)"], await TextsAsync("z_flat"));
    }

    [Fact]
    public async Task A_bare_geometry_column_takes_loads_of_either_dimension()
    {
        await fixture.Database.ExecuteAsync("CREATE TABLE z_bare (id bigint PRIMARY KEY, geom geometry, n bigint)");

        await _store.LoadAsync(Schema("z_bare", hasZ: false), Stream([At(1, 1, 2), At(2, 3, 4, 5)]), None);

        Assert.False((await FindAsync("z_bare"))!.Schema.HasZ);
        Assert.Equal(["POINT(1 2)", "POINT Z (3 4 5)"], await TextsAsync("z_bare"));
    }

    [Fact]
    public async Task Writing_a_2D_geometry_into_a_3D_collection_is_refused_by_PostGIS_as_a_bad_feature()
    {
        // The Features API refuses it before the store; the store itself must not take it either (nor fail with a 500).
        await _store.CreateCollectionAsync(Schema("z_strict", hasZ: true), None);
        var collection = Assert.IsAssignableFrom<IWritableFeatureCollection>(await FindAsync("z_strict"));

        await Assert.ThrowsAsync<InvalidFeatureException>(() => collection.InsertAsync(At(1, 1, 2), WriteHooks.None, None));

        Assert.Equal(0, await collection.CountAsync(new FeatureQuery(), None));
    }
}
