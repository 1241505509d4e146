using Meridian.Storage.GeoPackage;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Tests.Writing;
using Meridian.Storage.Writing;
using Meridian.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Tests.GeoPackage;

public sealed class GeoPackageWritableStoreContractTests(TempDirectory directory)
    : WritableFeatureStoreContract(new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance)), IClassFixture<TempDirectory>
{
    [Fact]
    public async Task Writes_RecordTheirTimeInGpkgContents()
    {
        var collection = await CreateAsync();
        var path = Path.Combine(directory.Path, collection.Schema.Id + ".gpkg");
        const string Old = "2000-01-01T00:00:00.000Z";
        await ContentsAsync(path, collection.Schema.Id, $"UPDATE gpkg_contents SET last_change = '{Old}' WHERE table_name = $t");

        await collection.InsertAsync(TestPlaces.All[0], WriteHooks.None, CancellationToken.None);

        var changed = await ContentsAsync(path, collection.Schema.Id, "SELECT last_change FROM gpkg_contents WHERE table_name = $t");
        Assert.True(string.CompareOrdinal((string)changed!, Old) > 0);
    }

    [Fact]
    public async Task ReplaceAsync_LeavesTheMetadataAndRTreeOfALayerLikeGdalWritesThem()
    {
        var store = new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance);
        var id = "r" + Guid.NewGuid().ToString("N")[..12];
        var places = new CollectionSchema(id, "Places title", "described", GeometryKind.Point, 4326,
            FeatureIdKind.Integer, TestPlaces.Properties, null);
        await store.LoadAsync(places, Records(TestPlaces.All), CancellationToken.None);
        var path = Path.Combine(directory.Path, id + ".gpkg");

        await store.ReplaceAsync(places with { Title = id, Description = null, GeometryType = GeometryKind.Geometry },
            Records(TestPlaces.All.Take(2)), CancellationToken.None);

        Assert.Equal("Places title|described|2.35|4.83", await ContentsAsync(path, id,
            "SELECT identifier || '|' || description || '|' || round(min_x, 2) || '|' || round(max_x, 2) FROM gpkg_contents WHERE table_name = $t"));
        Assert.Equal("GEOMETRY geom 4326", await ContentsAsync(path, id, "SELECT geometry_type_name || ' ' || column_name || ' ' || srs_id FROM gpkg_geometry_columns WHERE table_name = $t"));
        Assert.Equal(1L, await ContentsAsync(path, id, "SELECT count(*) FROM gpkg_extensions WHERE table_name = $t AND extension_name = 'gpkg_rtree_index'"));
        Assert.Equal(2L, await ContentsAsync(path, "rtree_" + id + "_geom", "SELECT count(*) FROM \"rtree_" + id + "_geom\" WHERE $t IS NOT NULL"));
        Assert.Equal(6L, await ContentsAsync(path, id, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $t"));
        Assert.Equal(0L, await ContentsAsync(path, id, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'meridian_staging%' OR (name LIKE 'rtree_%' AND name NOT LIKE 'rtree_' || $t || '%')"));
    }

    [Fact]
    public async Task LoadAsync_AppendingToALayerWithOptionalHeights_KeepsEachGeometryAsGiven()
    {
        var store = new GeoPackageDirectoryStore(directory.Path, NullLogger.Instance);
        var id = "z" + Guid.NewGuid().ToString("N")[..12];
        var schema = new CollectionSchema(id, id, null, GeometryKind.Point, 4326, FeatureIdKind.Integer, [new("name", PropertyType.String)], null);
        await store.LoadAsync(schema, Records([Named("flat", new Coordinate(1, 2))]), CancellationToken.None);
        var path = Path.Combine(directory.Path, id + ".gpkg");
        // z = 2, heights optional, as GDAL may declare a layer: neither dimension is the layer's.
        await ContentsAsync(path, id, "UPDATE gpkg_geometry_columns SET z = 2 WHERE table_name = $t");

        await store.LoadAsync(schema with { HasZ = true }, Records([Named("high", new CoordinateZ(3, 4, 5.5)), Named("low", new Coordinate(6, 7))]), CancellationToken.None);

        var collection = (await store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == id);
        var heights = new List<double>();
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 10 }, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None)) heights.Add(reader.ReadGeometry()!.Coordinate.Z);
        Assert.Equal([double.NaN, 5.5, double.NaN], heights);
    }

    private static FeatureRecord Named(string name, Coordinate at) =>
        new(null, GeometryServices.Factory.CreatePoint(at), new Dictionary<string, object?> { ["name"] = name });

    private static async IAsyncEnumerable<FeatureRecord> Records(IEnumerable<FeatureRecord> features)
    {
        foreach (var feature in features)
        {
            await Task.Yield();
            yield return feature;
        }
    }

    private static async Task<object?> ContentsAsync(string path, string table, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$t", table);
        return await command.ExecuteScalarAsync();
    }
}
