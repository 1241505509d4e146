using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// One binary COPY into a table, a feature per row. A load may run several in turn (its schema changed in
/// between): each starts from the count and the largest generated id the previous one reached. The rows are
/// encoded here (<see cref="EncodedTableCopy"/>) when every column is of a type the encoder knows, which is every
/// table a load creates; other existing tables go through Npgsql's importer (<see cref="ImportedTableCopy"/>).
/// </summary>
internal abstract class TableCopy : IAsyncDisposable
{
    private readonly CollectionSchema _schema;
    private long _lastId;

    protected TableCopy(PostGisRelation relation, CollectionSchema schema, IReadOnlyList<PostGisColumn> columns, long count, long lastId)
    {
        Relation = relation;
        _schema = schema;
        Columns = columns;
        Count = count;
        _lastId = lastId;
    }

    protected PostGisRelation Relation { get; }

    /// <summary>The columns taking the schema's properties, in schema order.</summary>
    protected IReadOnlyList<PostGisColumn> Columns { get; }

    /// <summary>The features written by this COPY and those before it.</summary>
    public long Count { get; private set; }

    /// <summary>The largest integer id written or generated so far.</summary>
    public long LastId => _lastId;

    /// <summary>
    /// Starts a COPY of the schema's properties into <paramref name="columns"/> (in schema order);
    /// <paramref name="encodeRows"/> false takes Npgsql's importer whatever the columns (the tests compare the two).
    /// </summary>
    public static async Task<TableCopy> BeginAsync(NpgsqlConnection connection, PostGisRelation relation, CollectionSchema schema,
        IReadOnlyList<PostGisColumn> columns, long count, long lastId, CancellationToken cancellationToken, bool encodeRows = true)
    {
        var columnList = string.Join(", ", [relation.IdColumn.Quoted, relation.QuotedGeometry, .. columns.Select(c => c.Quoted)]);
        var sql = $"COPY {relation.QuotedName} ({columnList}) FROM STDIN (FORMAT BINARY)";
        return encodeRows && EncodedTableCopy.Encodes(relation, columns)
            ? await EncodedTableCopy.BeginAsync(connection, sql, relation, schema, columns, count, lastId, cancellationToken)
            : await ImportedTableCopy.BeginAsync(connection, sql, relation, schema, columns, count, lastId, cancellationToken);
    }

    public abstract ValueTask WriteAsync(FeatureRecord feature, CancellationToken cancellationToken);

    /// <summary>Ends the COPY, its rows written into the transaction, and frees the connection for other commands.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Disposing before <see cref="CompleteAsync"/> cancels the COPY; the transaction then rolls back.</summary>
    public abstract ValueTask DisposeAsync();

    /// <summary>Counts the feature about to be written and gives its id in the id column's terms.</summary>
    protected object NextRow(FeatureRecord feature) => IdOf(Relation.IdColumn, feature, ++Count, ref _lastId);

    /// <summary>
    /// The canonical value of the schema's property <paramref name="index"/> in the feature, or null; counts in
    /// <paramref name="matched"/> the properties the feature has, for <see cref="CheckAllMatched"/>.
    /// </summary>
    protected object? ValueOf(FeatureRecord feature, int index, ref int matched)
    {
        var property = _schema.Properties[index];
        if (feature.Properties.TryGetValue(property.Name, out var value)) matched++;
        return value is null ? null : Canonical(property, value, feature, Count);
    }

    /// <summary>
    /// The geometry as the column takes it: with the relation's SRID (records carry the storage SRID by contract, the
    /// geometry object may still have the factory default) and its dimension, fitted as every store's load fits it
    /// (<see cref="LoadedDimension"/>: a column with heights gives a 2D geometry a height of 0, one without refuses a
    /// geometry with heights, naming the feature). A bare geometry column without heights takes both as they are.
    /// </summary>
    protected Geometry? StoredGeometry(FeatureRecord feature)
    {
        var geometry = feature.Geometry;
        if (geometry is null) return null;
        if (Relation.Schema.HasZ || !Relation.TakesAnyDimension) geometry = LoadedDimension.Fit(geometry, Relation.Schema, feature, Count);
        if (Relation.Srid == 0 || geometry.SRID == Relation.Srid) return geometry;
        var copy = ReferenceEquals(geometry, feature.Geometry) ? geometry.Copy() : geometry;
        copy.SRID = Relation.Srid;
        return copy;
    }

    /// <summary>Refuses a feature with a property the schema does not declare.</summary>
    protected void CheckAllMatched(FeatureRecord feature, int matched)
    {
        if (matched >= feature.Properties.Count) return;
        var unknown = feature.Properties.Keys.First(k => _schema.FindProperty(k) is null);
        throw new ArgumentException($"{Describe(feature, Count)} has the property '{unknown}', which '{_schema.Id}' does not declare.", nameof(feature));
    }

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

    private static string Describe(FeatureRecord feature, long position) => LoadedDimension.Describe(feature, position);
}
