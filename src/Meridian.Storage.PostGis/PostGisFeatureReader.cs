using System.Text.Json;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Streams rows shaped by <see cref="FeatureSql"/> (id text, GeoJSON in the output CRS, properties) straight from the
/// server cursor. Disposing it returns the connection to the pool.
/// </summary>
/// <param name="counted">Whether the rows end with a <c>count(*) OVER ()</c> column (see <c>FeatureQuery.CountMatches</c>).</param>
/// <param name="storedGeometry">Whether the geometry column is the stored geometry itself rather than GeoJSON (a snapshot's rows).</param>
internal sealed class PostGisFeatureReader(NpgsqlCommand command, NpgsqlDataReader reader, PropertyType[] types, bool counted = false,
    bool storedGeometry = false) : IFeatureReader
{
    private const int FirstProperty = 2;
    private string? _id;

    public long? NumberMatched { get; private set; }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        _id = null;
        var read = await reader.ReadAsync(cancellationToken);
        if (read && counted && NumberMatched is null) NumberMatched = reader.GetInt64(FirstProperty + types.Length);
        return read;
    }

    public string Id => _id ??= reader.GetString(0);

    public void WriteGeometry(Utf8JsonWriter writer)
    {
        if (storedGeometry)
            GeoJson.Write(writer, ReadGeometry());
        else if (reader.IsDBNull(1))
            writer.WriteNullValue();
        else
            writer.WriteRawValue(reader.GetString(1), skipInputValidation: true); // PostGIS wrote it, it is JSON
    }

    public Geometry? ReadGeometry()
    {
        if (reader.IsDBNull(1)) return null;
        if (!storedGeometry) return GeoJson.Parse(reader.GetString(1));
        var geometry = reader.GetFieldValue<Geometry>(1);
        return geometry.IsEmpty ? null : geometry;
    }

    public object? GetValue(int ordinal)
    {
        var type = types[ordinal];
        var column = FirstProperty + ordinal;
        if (reader.IsDBNull(column)) return null;
        return type switch
        {
            PropertyType.Integer => reader.GetInt64(column),
            PropertyType.Number => reader.GetDouble(column),
            PropertyType.Boolean => reader.GetBoolean(column),
            PropertyType.Date => reader.GetFieldValue<DateOnly>(column),
            PropertyType.DateTime => reader.GetFieldValue<DateTimeOffset>(column),
            _ => reader.GetString(column),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await command.DisposeAsync();
    }
}

/// <summary>The reader of a query that cannot match anything, such as a lookup of "abc" among integer ids.</summary>
internal sealed class EmptyFeatureReader : IFeatureReader
{
    public static readonly EmptyFeatureReader Instance = new();

    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public string Id => throw NotPositioned();

    public void WriteGeometry(Utf8JsonWriter writer) => throw NotPositioned();

    public Geometry? ReadGeometry() => throw NotPositioned();

    public object? GetValue(int ordinal) => throw NotPositioned();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static InvalidOperationException NotPositioned() => new("The reader is not positioned on a feature.");
}
