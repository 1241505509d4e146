using System.Text.Json;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Streams rows shaped by <see cref="FeatureSql"/> (id text, GeoJSON in the output CRS, properties) straight from the
/// server cursor. Disposing it ends its session, which returns the connection to the pool.
/// </summary>
/// <param name="session">The connection (and transaction, for a page and its count) the rows are read in.</param>
/// <param name="counted">Whether the rows end with a <c>count(*) OVER ()</c> column (see <c>FeatureQuery.CountMatches</c>).</param>
/// <param name="count">Counts the matches in the page's snapshot, once its rows are closed; or null.</param>
/// <param name="storedGeometry">Whether the geometry column is the stored geometry itself rather than GeoJSON (a snapshot's rows).</param>
/// <param name="project">The CRS the rows' CRS84 GeoJSON is projected to here (Web Mercator, clamped), or null.</param>
/// <param name="endsSession">Whether disposing the reader ends <paramref name="session"/>; not for a read inside a write's transaction.</param>
internal sealed class PostGisFeatureReader(PostGisSession session, NpgsqlCommand command, NpgsqlDataReader reader, PropertyType[] types,
    bool counted = false, Func<CancellationToken, Task<long>>? count = null, bool storedGeometry = false, bool endsSession = true,
    Crs? project = null) : IFeatureReader
{
    private const int FirstProperty = 2;
    private string? _id;
    private long? _countedWithPage;

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        _id = null;
        bool read;
        try
        {
            read = await reader.ReadAsync(cancellationToken);
        }
        catch (PostgresException)
        {
            // An error raised while the rows are evaluated (a filter's overflow on a later row), after earlier rows were
            // read and possibly sent: the response is cut. Having PostgreSQL finish the page before its first row (a
            // window over the LIMIT) would make it a 400, but holds a whole page in the server and delays its first byte.
            session.StatementFailed();
            throw;
        }
        if (read && counted && _countedWithPage is null) _countedWithPage = reader.GetInt64(FirstProperty + types.Length);
        return read;
    }

    public async ValueTask<long?> CountMatchedAsync(CancellationToken cancellationToken)
    {
        if (counted) return _countedWithPage ?? 0;
        if (count is null) return null;
        // One statement at a time on a connection: the page's rows are closed before the count runs after them.
        await reader.DisposeAsync();
        return await count(cancellationToken);
    }

    public string Id => _id ??= reader.GetString(0);

    public void WriteGeometry(Utf8JsonWriter writer)
    {
        if (storedGeometry || project is not null)
            GeoJson.Write(writer, ReadGeometry());
        else if (reader.IsDBNull(1))
            writer.WriteNullValue();
        else
            writer.WriteRawValue(reader.GetString(1), skipInputValidation: true); // PostGIS wrote it, it is JSON
    }

    public Geometry? ReadGeometry()
    {
        if (reader.IsDBNull(1)) return null;
        if (project is not null) return GeoJson.Parse(reader.GetString(1)) is { } crs84 ? project.FromCrs84(crs84) : null;
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
        if (endsSession) await session.DisposeAsync();
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
