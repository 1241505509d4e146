using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Spatial;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.GeoPackage;

/// <summary>Streams rows of a GeoPackage layer; owns its connection and command.</summary>
internal sealed class GeoPackageFeatureReader(GeoPackageLayerInfo layer, SqliteConnection connection, SqliteCommand command, SqliteDataReader reader)
    : IFeatureReader
{
    private const int FirstProperty = 2;
    private Geometry? _geometry;
    private bool _geometryRead;

    public string Id => reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        _geometryRead = false;
        _geometry = null;
        return await reader.ReadAsync(cancellationToken);
    }

    public Geometry? ReadGeometry()
    {
        if (_geometryRead) return _geometry;
        _geometryRead = true;
        var blob = reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1);
        var geometry = GeoPackageBlob.Read(blob, layer.Schema.StorageSrid);
        _geometry = geometry is null || layer.Transform is null ? geometry : layer.Transform.ToCrs84(geometry);
        return _geometry;
    }

    public void WriteGeometry(Utf8JsonWriter writer) => GeoJson.Write(writer, ReadGeometry());

    public object? GetValue(int ordinal) =>
        SqliteValues.Read(reader, FirstProperty + ordinal, layer.Schema.Properties[ordinal].Type);

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
        await connection.DisposeAsync();
    }
}
