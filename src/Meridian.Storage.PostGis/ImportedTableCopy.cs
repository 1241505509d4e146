using Meridian.Storage.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Meridian.Storage.PostGis;

/// <summary>A COPY through Npgsql's binary importer, for existing tables with column types the encoder does not write.</summary>
internal sealed class ImportedTableCopy : TableCopy
{
    private readonly NpgsqlBinaryImporter _importer;

    private ImportedTableCopy(NpgsqlBinaryImporter importer, PostGisRelation relation, CollectionSchema schema,
        IReadOnlyList<PostGisColumn> columns, long count, long lastId)
        : base(relation, schema, columns, count, lastId) => _importer = importer;

    public static async Task<TableCopy> BeginAsync(NpgsqlConnection connection, string sql, PostGisRelation relation, CollectionSchema schema,
        IReadOnlyList<PostGisColumn> columns, long count, long lastId, CancellationToken cancellationToken) =>
        new ImportedTableCopy(await connection.BeginBinaryImportAsync(sql, cancellationToken), relation, schema, columns, count, lastId);

    public override async ValueTask WriteAsync(FeatureRecord feature, CancellationToken cancellationToken)
    {
        var id = NextRow(feature);
        await _importer.StartRowAsync(cancellationToken);
        await WriteAsync(_importer, Relation.IdColumn, id, cancellationToken);
        if (StoredGeometry(feature) is { } geometry)
            await _importer.WriteAsync(geometry, NpgsqlDbType.Geometry, cancellationToken);
        else
            await _importer.WriteNullAsync(cancellationToken);
        var matched = 0;
        for (var i = 0; i < Columns.Count; i++)
        {
            if (ValueOf(feature, i, ref matched) is { } value)
                await WriteAsync(_importer, Columns[i], value, cancellationToken);
            else
                await _importer.WriteNullAsync(cancellationToken);
        }
        CheckAllMatched(feature, matched);
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _importer.CompleteAsync(cancellationToken);
        await _importer.DisposeAsync();
    }

    public override ValueTask DisposeAsync() => _importer.DisposeAsync();

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
}
