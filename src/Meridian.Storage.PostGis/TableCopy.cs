using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Meridian.Storage.PostGis;

/// <summary>
/// One binary COPY into a table, a feature per row. A load may run several in turn (its schema changed in
/// between): each starts from the count and the largest generated id the previous one reached.
/// </summary>
internal sealed class TableCopy : IAsyncDisposable
{
    private readonly NpgsqlBinaryImporter _importer;
    private readonly PostGisRelation _relation;
    private readonly CollectionSchema _schema;
    private readonly IReadOnlyList<PostGisColumn> _columns;
    private long _lastId;

    private TableCopy(NpgsqlBinaryImporter importer, PostGisRelation relation, CollectionSchema schema, IReadOnlyList<PostGisColumn> columns, long count, long lastId)
    {
        _importer = importer;
        _relation = relation;
        _schema = schema;
        _columns = columns;
        Count = count;
        _lastId = lastId;
    }

    /// <summary>The features written by this COPY and those before it.</summary>
    public long Count { get; private set; }

    /// <summary>The largest integer id written or generated so far.</summary>
    public long LastId => _lastId;

    /// <summary>Starts a COPY of the schema's properties into <paramref name="columns"/> (in schema order).</summary>
    public static async Task<TableCopy> BeginAsync(NpgsqlConnection connection, PostGisRelation relation, CollectionSchema schema,
        IReadOnlyList<PostGisColumn> columns, long count, long lastId, CancellationToken cancellationToken)
    {
        var columnList = string.Join(", ", [relation.IdColumn.Quoted, relation.QuotedGeometry, .. columns.Select(c => c.Quoted)]);
        var importer = await connection.BeginBinaryImportAsync(
            $"COPY {relation.QuotedName} ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        return new TableCopy(importer, relation, schema, columns, count, lastId);
    }

    public async ValueTask WriteAsync(FeatureRecord feature, CancellationToken cancellationToken)
    {
        var count = ++Count;
        await _importer.StartRowAsync(cancellationToken);
        await WriteAsync(_importer, _relation.IdColumn, IdOf(_relation.IdColumn, feature, count, ref _lastId), cancellationToken);
        await WriteGeometryAsync(_importer, _relation.Srid, feature.Geometry, cancellationToken);
        var matched = 0;
        for (var i = 0; i < _columns.Count; i++)
        {
            var property = _schema.Properties[i];
            if (feature.Properties.TryGetValue(property.Name, out var value)) matched++;
            if (value is null)
                await _importer.WriteNullAsync(cancellationToken);
            else
                await WriteAsync(_importer, _columns[i], Canonical(property, value, feature, count), cancellationToken);
        }
        if (matched < feature.Properties.Count)
        {
            var unknown = feature.Properties.Keys.First(k => _schema.FindProperty(k) is null);
            throw new ArgumentException($"{Describe(feature, count)} has the property '{unknown}', which '{_schema.Id}' does not declare.", nameof(feature));
        }
    }

    /// <summary>Ends the COPY, its rows written into the transaction, and frees the connection for other commands.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _importer.CompleteAsync(cancellationToken);
        await _importer.DisposeAsync();
    }

    /// <summary>Disposing before <see cref="CompleteAsync"/> cancels the COPY; the transaction then rolls back.</summary>
    public ValueTask DisposeAsync() => _importer.DisposeAsync();

    /// <summary>
    /// The feature's id in the id column's terms. Features without one get a new UUID, or the integer after the
    /// largest seen so far (in the table or earlier in the stream).
    /// </summary>
    private static object IdOf(PostGisColumn column, FeatureRecord feature, long position, ref long lastId)
    {
        if (column.Type != PropertyType.Integer) return feature.Id ?? Guid.NewGuid().ToString();
        if (feature.Id is null) return ++lastId;
        if (!long.TryParse(feature.Id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new ArgumentException($"{Describe(feature, position)}: the id is not an integer.", nameof(feature));
        lastId = Math.Max(lastId, value);
        return value;
    }

    private static Task WriteGeometryAsync(NpgsqlBinaryImporter importer, int srid, Geometry? geometry, CancellationToken cancellationToken)
    {
        if (geometry is null) return importer.WriteNullAsync(cancellationToken);
        if (srid != 0 && geometry.SRID != srid)
        {
            // Records carry the storage SRID by contract; the geometry object may still have the factory default.
            geometry = geometry.Copy();
            geometry.SRID = srid;
        }
        return importer.WriteAsync(geometry, NpgsqlDbType.Geometry, cancellationToken);
    }

    /// <summary>
    /// A property value as the port's CLR type for its declared type (long, double, string, bool, DateOnly,
    /// UTC DateTimeOffset); anything else is the caller's error.
    /// </summary>
    private static object Canonical(PropertySchema property, object value, FeatureRecord feature, long position) => (property.Type, value) switch
    {
        // Already the canonical type: the same box, not a new one.
        (PropertyType.Integer, long) or (PropertyType.Number, double) => value,
        (PropertyType.Integer, long or int or short or sbyte or byte or ushort or uint) => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        (PropertyType.Number, double or float or decimal or long or int or short) => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        (PropertyType.String, string) or (PropertyType.Boolean, bool) or (PropertyType.Date, DateOnly) => value,
        (PropertyType.DateTime, DateTimeOffset t) => t.ToUniversalTime(),
        (PropertyType.DateTime, DateTime t) => new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t).ToUniversalTime(),
        (PropertyType.Other, string) => value,
        (PropertyType.Other, JsonElement json) => json.GetRawText(),
        _ => throw new ArgumentException(
            $"{Describe(feature, position)}: property '{property.Name}' is {property.Type} but holds a {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>Writes a canonical value in the column's own binary type.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter importer, PostGisColumn column, object value, CancellationToken cancellationToken)
    {
        var (provider, type) = PostGisValues.For(column, value);
        // By its own type: Npgsql finds the converter for a typed value once per COPY, for an object at every call.
        return provider switch
        {
            long v => importer.WriteAsync(v, type, cancellationToken),
            int v => importer.WriteAsync(v, type, cancellationToken),
            short v => importer.WriteAsync(v, type, cancellationToken),
            double v => importer.WriteAsync(v, type, cancellationToken),
            float v => importer.WriteAsync(v, type, cancellationToken),
            decimal v => importer.WriteAsync(v, type, cancellationToken),
            string v => importer.WriteAsync(v, type, cancellationToken),
            bool v => importer.WriteAsync(v, type, cancellationToken),
            DateOnly v => importer.WriteAsync(v, type, cancellationToken),
            DateTimeOffset v => importer.WriteAsync(v, type, cancellationToken),
            DateTime v => importer.WriteAsync(v, type, cancellationToken),
            Guid v => importer.WriteAsync(v, type, cancellationToken),
            _ => importer.WriteAsync(provider, type, cancellationToken),
        };
    }

    private static string Describe(FeatureRecord feature, long position) =>
        feature.Id is null ? $"Feature #{position}" : $"Feature #{position} (id '{feature.Id}')";
}
