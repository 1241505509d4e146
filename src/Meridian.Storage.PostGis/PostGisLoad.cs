using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// One bulk load in its own connection and transaction: a binary COPY into the collection's existing table
/// (appending), or into a new table (the collection's, or a staging table swapped in for it on completion). A new
/// table's schema may widen during the load (<see cref="ChangeSchemaAsync"/>); nothing is visible to others until
/// <see cref="CompleteAsync"/> commits, and disposing the load before that rolls everything back, tables included.
/// </summary>
internal sealed partial class PostGisLoad : IFeatureLoadStream
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly bool _newTable;
    // The collection's table a new (staging) table replaces on completion; null when there is none.
    private readonly PostGisRelation? _replaced;
    private readonly ILogger _logger;
    private readonly Action<long> _completed;
    private PostGisRelation _relation;
    private TableCopy _copy;

    private PostGisLoad(NpgsqlConnection connection, NpgsqlTransaction transaction, bool newTable, PostGisRelation relation,
        PostGisRelation? replaced, TableCopy copy, ILogger logger, Action<long> completed)
    {
        _connection = connection;
        _transaction = transaction;
        _newTable = newTable;
        _relation = relation;
        _replaced = replaced;
        _copy = copy;
        _logger = logger;
        _completed = completed;
    }

    /// <summary>A load appending to <paramref name="existing"/>, the schema's properties going to <paramref name="columns"/>.</summary>
    public static async Task<PostGisLoad> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostGisRelation existing,
        CollectionSchema schema, IReadOnlyList<PostGisColumn> columns, ILogger logger, Action<long> completed, CancellationToken cancellationToken)
    {
        long lastId = 0;
        if (existing.Schema.IdKind == FeatureIdKind.Integer)
        {
            // Generated ids continue after the largest one; the lock keeps other writers from taking it meanwhile.
            await FeatureLoader.ExecuteAsync(connection, $"LOCK TABLE {existing.QuotedName} IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
            await using var max = new NpgsqlCommand($"SELECT coalesce(max({existing.IdColumn.Quoted}), 0)::int8 FROM {existing.QuotedName}", connection);
            lastId = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
        }
        var copy = await TableCopy.BeginAsync(connection, existing, schema, columns, 0, lastId, cancellationToken);
        return new PostGisLoad(connection, transaction, newTable: false, existing, null, copy, logger, completed);
    }

    /// <summary>A load into <paramref name="table"/>, made by this transaction; it replaces <paramref name="replaced"/> when there is one.</summary>
    public static async Task<PostGisLoad> CreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PostGisRelation table,
        PostGisRelation? replaced, ILogger logger, Action<long> completed, CancellationToken cancellationToken)
    {
        var copy = await TableCopy.BeginAsync(connection, table, table.Schema, table.Columns, 0, 0, cancellationToken);
        return new PostGisLoad(connection, transaction, newTable: true, table, replaced, copy, logger, completed);
    }

    public long Count => _copy.Count;

    public async ValueTask WriteAsync(FeatureRecord feature, CancellationToken cancellationToken)
    {
        // The first geometry with heights in a table this load makes gives the table heights (the rows so far get a
        // height of 0): a load cannot know before it reads them whether a source has any (a backup made before
        // schemas recorded heights, a GPX file whose first points have no elevation).
        if (_newTable && !_relation.Schema.HasZ && feature.Geometry is { } geometry && Heights.Any(geometry))
            await ChangeSchemaAsync(_relation.Schema with { HasZ = true }, cancellationToken);
        await _copy.WriteAsync(feature, cancellationToken);
    }

    public async Task ChangeSchemaAsync(CollectionSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!_newTable) throw new InvalidOperationException($"an append keeps the schema of '{_relation.Schema.Id}'.");
        var old = _relation.Schema;
        if (schema.IdKind != old.IdKind || schema.StorageSrid != old.StorageSrid || schema.Properties.Count < old.Properties.Count
            || old.Properties.Where((p, i) => p.Name != schema.Properties[i].Name).Any())
            throw new ArgumentException("a load's schema can only widen its properties' types, add properties after them and change the geometry type.", nameof(schema));
        if (old.HasZ && !schema.HasZ) throw new ArgumentException("a load's schema cannot drop the heights its geometries have.", nameof(schema));
        var changes = new List<string>();
        for (var i = 0; i < old.Properties.Count; i++)
        {
            var (from, to) = (old.Properties[i], schema.Properties[i]);
            if (from.Type != to.Type || from.MaxLength != to.MaxLength)
                changes.Add($"ALTER COLUMN {Sql.Quote(to.Name)} TYPE {FeatureLoader.SqlTypeFor(to)} USING {Cast(from, to)}");
        }
        changes.AddRange(schema.Properties.Skip(old.Properties.Count).Select(p => "ADD COLUMN " + FeatureLoader.ColumnDefinition(p)));
        // Rows written without heights get 0, as the copy gives the 2D geometries that follow (TableCopy.StoredGeometry).
        if (schema.HasZ != old.HasZ)
            changes.Add($"ALTER COLUMN {_relation.QuotedGeometry} TYPE {FeatureLoader.GeometryTypeFor(schema)} USING ST_Force3DZ({_relation.QuotedGeometry})");
        else if (schema.GeometryType != old.GeometryType)
            changes.Add($"ALTER COLUMN {_relation.QuotedGeometry} TYPE {FeatureLoader.GeometryTypeFor(schema)}");
        // The rows so far are committed to the transaction by ending their COPY; the table can then be altered (one
        // rewrite for all the changes) and a new COPY continues where this one stopped.
        await _copy.CompleteAsync(cancellationToken);
        var (count, lastId) = (_copy.Count, _copy.LastId);
        if (changes.Count > 0)
            await FeatureLoader.ExecuteAsync(_connection, $"ALTER TABLE {_relation.QuotedName} {string.Join(", ", changes)}", cancellationToken);
        _relation = _relation with { Columns = schema.Properties.Select(FeatureLoader.ColumnFor).ToList(), Schema = schema };
        _copy = await TableCopy.BeginAsync(_connection, _relation, schema, _relation.Columns, count, lastId, cancellationToken);
    }

    /// <summary>
    /// The conversion of a column's values to the wider type: the database's cast, except that a date becomes
    /// midnight UTC whatever the session's time zone (as the ingest reads a date in a date-time column).
    /// </summary>
    private static string Cast(PropertySchema from, PropertySchema to) =>
        from.Type == PropertyType.Date && to.Type == PropertyType.DateTime
            ? $"({Sql.Quote(from.Name)}::timestamp AT TIME ZONE 'UTC')"
            : $"{Sql.Quote(from.Name)}::{FeatureLoader.SqlTypeFor(to)}";

    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        await _copy.CompleteAsync(cancellationToken);
        var count = _copy.Count;
        if (_relation.Schema.IdKind == FeatureIdKind.Integer && count > 0)
            await FeatureLoader.AdvanceSequenceAsync(_connection, _relation, cancellationToken);
        if (_newTable)
        {
            // Ids a source repeats fail here, as they would have during the COPY: the whole load rolls back.
            await FeatureLoader.AddPrimaryKeyAsync(_connection, _relation, cancellationToken);
            await FeatureLoader.CreateSpatialIndexAsync(_connection, _relation, cancellationToken);
            if (_replaced is not null) _relation = await TableSwap.RunAsync(_connection, _replaced, _relation, _relation.Schema, cancellationToken);
        }
        await _transaction.CommitAsync(cancellationToken);
        // Fresh statistics let the planner choose the spatial index straight away. The load is committed by
        // now, so a failure here is only worth a warning: autovacuum will analyze the table later.
        try
        {
            await FeatureLoader.ExecuteAsync(_connection, $"ANALYZE {_relation.QuotedName}", cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            Log.AnalyzeFailed(_logger, _relation.Schema.Id, e);
        }
        _completed(count);
        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await _copy.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Loaded {Collection}, but could not ANALYZE it; queries may be slow until autovacuum does.")]
        public static partial void AnalyzeFailed(ILogger logger, string collection, Exception exception);
    }
}
