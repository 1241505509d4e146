using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Spatial;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// Streams rows of a GeoPackage layer with geometries in <paramref name="crs"/>; owns its command, and its connection
/// unless that is null (a write's, in its transaction).
/// </summary>
/// <param name="counted">Whether the rows end with a <c>count(*) OVER ()</c> column (see <c>FeatureQuery.CountMatches</c>).</param>
/// <param name="count">Counts the matches in the page's <paramref name="transaction"/>, once its rows are closed; or null.</param>
/// <param name="transaction">The read transaction of the page, which the reader ends; or null.</param>
/// <param name="stored">Whether geometries leave as stored whatever <paramref name="crs"/> says (a snapshot's rows).</param>
internal sealed class GeoPackageFeatureReader(GeoPackageLayerInfo layer, Crs crs, SqliteConnection? connection, SqliteCommand command,
    SqliteDataReader reader, bool counted = false, Func<CancellationToken, Task<long>>? count = null, SqliteTransaction? transaction = null,
    bool stored = false) : IFeatureReader
{
    private const int FirstProperty = 2;

    /// <summary>
    /// Whether the stored coordinates are the output as they are: CRS84 from a layer in 4326, or the layer's own
    /// CRS asked for (GeoPackage keeps x east, so only when that CRS puts east first too).
    /// </summary>
    private readonly bool _asStored = stored || (crs.IsCrs84 ? layer.Transform is null : crs.Srid == layer.Schema.StorageSrid && !crs.NorthingFirst);

    private Geometry? _geometry;
    private bool _geometryRead;
    private long? _countedWithPage;

    public string Id => reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        _geometryRead = false;
        _geometry = null;
        var read = await reader.ReadAsync(cancellationToken);
        if (read && counted && _countedWithPage is null) _countedWithPage = reader.GetInt64(FirstProperty + layer.Schema.Properties.Count);
        return read;
    }

    public async ValueTask<long?> CountMatchedAsync(CancellationToken cancellationToken)
    {
        if (counted) return _countedWithPage ?? 0;
        if (count is null) return null;
        // The page's statement is finished before the count runs after it, on the same connection.
        await reader.DisposeAsync();
        return await count(cancellationToken);
    }

    public Geometry? ReadGeometry()
    {
        if (_geometryRead) return _geometry;
        _geometryRead = true;
        var blob = Blob();
        var geometry = GeoPackageBlob.Read(blob, layer.Schema.StorageSrid);
        _geometry = geometry is null || _asStored ? geometry : crs.FromCrs84(layer.Transform?.ToCrs84(geometry) ?? geometry);
        return _geometry;
    }

    public void WriteGeometry(Utf8JsonWriter writer)
    {
        // Without reprojection the WKB inside the blob is copied to GeoJSON directly; objects only when needed.
        if (_asStored && !_geometryRead)
        {
            var blob = Blob();
            if (blob is null || GeoPackageBlob.IsEmpty(blob))
            {
                writer.WriteNullValue();
                return;
            }
            var offset = GeoPackageBlob.WkbOffset(blob);
            if (offset > 0 && WkbGeoJson.TryWrite(writer, blob.AsSpan(offset))) return;
        }
        GeoJson.Write(writer, ReadGeometry());
    }

    private byte[]? Blob() => reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1);

    public object? GetValue(int ordinal) =>
        SqliteValues.Read(reader, FirstProperty + ordinal, layer.Schema.Properties[ordinal].Type);

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
        if (transaction is not null) await transaction.DisposeAsync();
        if (connection is not null) await connection.DisposeAsync();
    }
}
