using Meridian.Storage.Tiles;
using Microsoft.Data.Sqlite;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// Vector tiles of one GeoPackage layer: the R-tree finds the features whose box meets the buffered tile, and
/// NetTopologySuite cuts and encodes them (<see cref="TileFrame"/>, <see cref="MvtLayerWriter"/>).
/// </summary>
internal static class GeoPackageTiles
{
    public static async Task<byte[]> GetTileAsync(GeoPackageStore store, GeoPackageLayerInfo layer, TileRequest request, CancellationToken ct)
    {
        var properties = request.SelectProperties(layer.Schema);
        var frame = new TileFrame(request, layer.Schema.StorageSrid, layer.Transform);
        var writer = new MvtLayerWriter(layer.Schema.Id, request.Extent);
        if (request.Limit == 0) return [];

        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        Prepare(command, layer, properties, frame);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = properties.Select(p => p.Name).ToArray();
        var values = new KeyValuePair<string, object?>[properties.Count];
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(1)) continue;
            var blob = reader.GetFieldValue<byte[]>(1);
            // Without an R-tree every row comes: the blob's header box rules most of them out unparsed.
            if (layer.RTree is null && GeoPackageBlob.HeaderEnvelope(blob) is { } box && !box.Intersects(frame.StorageBounds)) continue;
            if (frame.ToGrid(GeoPackageBlob.Read(blob, layer.Schema.StorageSrid)) is not { } grid) continue;
            for (var i = 0; i < values.Length; i++)
                values[i] = new(names[i], SqliteValues.Read(reader, 2 + i, properties[i].Type));
            var id = reader.GetInt64(0);
            if (writer.Add(grid, id >= 0 ? (ulong)id : null, values) && writer.Count >= request.Limit) break;
        }
        return writer.ToArray();
    }

    private static void Prepare(SqliteCommand command, GeoPackageLayerInfo layer, IReadOnlyList<Schema.PropertySchema> properties, TileFrame frame)
    {
        var columns = new[] { layer.IdColumn, layer.GeometryColumn }.Concat(properties.Select(p => p.Name)).Select(GeoPackageLayerInfo.Column);
        var select = $"SELECT {string.Join(", ", columns)} FROM {layer.From}";
        if (layer.RTree is not { } rtree)
        {
            command.CommandText = select;
            return;
        }
        var b = frame.StorageBounds;
        command.CommandText = $"{select} JOIN (SELECT id FROM {Quote(rtree)} "
            + $"WHERE minx <= $maxx AND maxx >= $minx AND miny <= $maxy AND maxy >= $miny) AS r ON r.id = {GeoPackageLayerInfo.Column(layer.IdColumn)}";
        command.Parameters.AddWithValue("$minx", b.MinX);
        command.Parameters.AddWithValue("$miny", b.MinY);
        command.Parameters.AddWithValue("$maxx", b.MaxX);
        command.Parameters.AddWithValue("$maxy", b.MaxY);
    }
}
