using System.Globalization;
using System.Text.Json;
using Meridian.Storage.Schema;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Bulk loads in one transaction: create the table when missing (or a staging table to replace it), binary COPY
/// every feature, commit. Any failure (a bad value in the middle of the stream included) rolls everything back,
/// the new table too.
/// </summary>
internal sealed partial class FeatureLoader(NpgsqlDataSource dataSource, ILogger logger)
{
    private static readonly string[] IdColumnNames = ["id", "fid", "ogc_fid", "gid"];
    private static readonly string[] GeometryColumnNames = ["geom", "geometry", "the_geom"];

    /// <summary>Appends to the collection's table, creating it when missing.</summary>
    public Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, replace: false, cancellationToken);

    /// <summary>
    /// Loads into a new table, built beside the collection's current one (which readers keep seeing) and swapped
    /// in for it when the load is complete, in the same transaction: readers see the old rows or all the new ones.
    /// </summary>
    public Task<long> ReplaceAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken) =>
        LoadAsync(schema, features, replace: true, cancellationToken);

    private async Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, bool replace, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        PostGisRelation relation;
        long count;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var (schemaName, tableName) = await ResolveNameAsync(connection, schema.Id, cancellationToken);
            var existing = await FindAsync(connection, schemaName, tableName, schema.Id, cancellationToken);
            if (existing is not null && !replace)
            {
                relation = existing;
                count = await AppendAsync(connection, existing, schema, features, cancellationToken);
            }
            else
            {
                // A table made by this transaction stays invisible to others until the commit. Its spatial index
                // is built after the COPY: one sorted build is much faster than growing the index row by row.
                var loaded = await CreateTableAsync(connection, schemaName, existing is null ? tableName : StagingName(), schema, cancellationToken);
                count = await CopyAsync(connection, loaded, schema, loaded.Columns, 0, features, cancellationToken);
                if (loaded.Schema.IdKind == FeatureIdKind.Integer && count > 0)
                    await AdvanceSequenceAsync(connection, loaded, cancellationToken);
                await CreateSpatialIndexAsync(connection, loaded, cancellationToken);
                relation = existing is null ? loaded : await TableSwap.RunAsync(connection, existing, loaded, schema, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        // Fresh statistics let the planner choose the spatial index straight away. The load is committed by
        // now, so a failure here is only worth a warning: autovacuum will analyze the table later.
        try
        {
            await ExecuteAsync(connection, $"ANALYZE {relation.QuotedName}", cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            Log.AnalyzeFailed(logger, schema.Id, e);
        }
        return count;
    }

    private static async Task<long> AppendAsync(
        NpgsqlConnection connection, PostGisRelation existing, CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken)
    {
        var columns = MatchColumns(existing, schema);
        long lastId = 0;
        if (existing.Schema.IdKind == FeatureIdKind.Integer)
        {
            // Generated ids continue after the largest one; the lock keeps other writers from taking it meanwhile.
            await ExecuteAsync(connection, $"LOCK TABLE {existing.QuotedName} IN SHARE ROW EXCLUSIVE MODE", cancellationToken);
            await using var max = new NpgsqlCommand($"SELECT coalesce(max({existing.IdColumn.Quoted}), 0)::int8 FROM {existing.QuotedName}", connection);
            lastId = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
        }
        var count = await CopyAsync(connection, existing, schema, columns, lastId, features, cancellationToken);
        if (existing.Schema.IdKind == FeatureIdKind.Integer && count > 0)
            await AdvanceSequenceAsync(connection, existing, cancellationToken);
        return count;
    }

    /// <summary>A short unique name, so that the names PostgreSQL derives from it (…_pkey, …_geom_idx) are not truncated.</summary>
    private static string StagingName() => "meridian_staging_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// "schema.table" names a table in that schema when the schema exists; any other id is a table in public.
    /// </summary>
    internal static async Task<(string Schema, string Table)> ResolveNameAsync(NpgsqlConnection connection, string collectionId, CancellationToken cancellationToken)
    {
        var dot = collectionId.IndexOf('.');
        if (dot <= 0) return ("public", collectionId);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = collectionId[..dot] });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!
            ? (collectionId[..dot], collectionId[(dot + 1)..])
            : ("public", collectionId);
    }

    internal static async Task<PostGisRelation?> FindAsync(
        NpgsqlConnection connection, string schemaName, string tableName, string collectionId, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)",
            connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schemaName });
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tableName });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return null;
        }
        var entries = await RelationCatalog.ReadAsync(connection, schemaName, tableName, cancellationToken);
        var entry = entries.Count == 1
            ? entries[0]
            : throw new InvalidOperationException($"'{collectionId}' exists but has no geometry column.");
        var relation = entry.Relation ?? throw new InvalidOperationException($"'{collectionId}' exists but cannot take features: {entry.Problem}.");
        return relation.IsTable ? relation : throw new InvalidOperationException($"'{collectionId}' is a view, not a table.");
    }

    /// <summary>The existing columns that take the schema's properties, in schema order.</summary>
    private static List<PostGisColumn> MatchColumns(PostGisRelation relation, CollectionSchema schema)
    {
        if (relation.Schema.IdKind != schema.IdKind)
            throw new InvalidOperationException($"'{schema.Id}' has {relation.Schema.IdKind} ids, the load has {schema.IdKind} ids.");
        if (relation.Srid != 0 && relation.Srid != schema.StorageSrid)
            throw new InvalidOperationException($"'{schema.Id}' stores SRID {relation.Srid}, the load has SRID {schema.StorageSrid}.");
        return schema.Properties.Select(property =>
        {
            var column = relation.FindColumn(property.Name)
                ?? throw new InvalidOperationException($"'{schema.Id}' has no column '{property.Name}'.");
            return CanTake(column.PgType, property.Type)
                ? column
                : throw new InvalidOperationException($"Column '{property.Name}' of '{schema.Id}' is {column.PgType} and cannot take {property.Type} values.");
        }).ToList();
    }

    private static bool CanTake(string pgType, PropertyType type) => type switch
    {
        PropertyType.Integer => pgType is "int2" or "int4" or "int8" or "numeric" or "float4" or "float8",
        PropertyType.Number => pgType is "float4" or "float8" or "numeric",
        PropertyType.String => pgType is "text" or "varchar" or "bpchar" or "uuid",
        PropertyType.Boolean => pgType is "bool",
        PropertyType.Date => pgType is "date",
        PropertyType.DateTime => pgType is "timestamp" or "timestamptz",
        _ => pgType is "text" or "varchar" or "json" or "jsonb",
    };

    /// <summary>Creates a collection's table with its spatial index.</summary>
    internal static async Task<PostGisRelation> CreateAsync(
        NpgsqlConnection connection, string schemaName, string tableName, CollectionSchema schema, CancellationToken cancellationToken)
    {
        var relation = await CreateTableAsync(connection, schemaName, tableName, schema, cancellationToken);
        await CreateSpatialIndexAsync(connection, relation, cancellationToken);
        return relation;
    }

    private static Task CreateSpatialIndexAsync(NpgsqlConnection connection, PostGisRelation relation, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"CREATE INDEX ON {relation.QuotedName} USING gist ({relation.QuotedGeometry})", cancellationToken);

    private static async Task<PostGisRelation> CreateTableAsync(
        NpgsqlConnection connection, string schemaName, string tableName, CollectionSchema schema, CancellationToken cancellationToken)
    {
        var names = schema.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // Properties keep their names; the id and geometry columns take the first conventional name left free.
        var idName = IdColumnNames.First(n => !names.Contains(n));
        var geometryName = GeometryColumnNames.FirstOrDefault(n => !names.Contains(n))
            ?? throw new InvalidOperationException($"'{schema.Id}' has properties named {string.Join(", ", GeometryColumnNames)}; one must be free for the geometry.");
        var id = new PostGisColumn(idName, schema.IdKind == FeatureIdKind.Integer ? "int8" : "text",
            schema.IdKind == FeatureIdKind.Integer ? PropertyType.Integer : PropertyType.String);
        var columns = schema.Properties.Select(p => new PostGisColumn(p.Name, p.MaxLength is null ? PgTypeFor(p.Type) : "varchar", p.Type)).ToList();
        var relation = new PostGisRelation(schemaName, tableName, true, geometryName, schema.StorageSrid, id, columns, schema);

        var definitions = new List<string>
        {
            schema.IdKind == FeatureIdKind.Integer
                ? $"{id.Quoted} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
                : $"{id.Quoted} text PRIMARY KEY",
            // Kind and SRID are an enum name and a number, the only non-identifiers spliced into DDL.
            $"{relation.QuotedGeometry} geometry({schema.GeometryType.ToSqlName()}, {schema.StorageSrid.ToString(CultureInfo.InvariantCulture)})",
        };
        definitions.AddRange(schema.Properties.Select((p, i) => $"{columns[i].Quoted} {SqlTypeFor(p)}{(p.Nullable ? "" : " NOT NULL")}"));
        await ExecuteAsync(connection, $"CREATE TABLE {relation.QuotedName} ({string.Join(", ", definitions)})", cancellationToken);
        if (!string.IsNullOrEmpty(schema.Description)) await CommentAsync(connection, relation, schema.Description, cancellationToken);
        return relation;
    }

    internal static async Task CommentAsync(NpgsqlConnection connection, PostGisRelation relation, string description, CancellationToken cancellationToken)
    {
        // COMMENT takes no parameters; let the server quote the text with format('%L').
        await using var format = new NpgsqlCommand("SELECT format('COMMENT ON TABLE %I.%I IS %L', $1, $2, $3)", connection);
        format.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation.SchemaName });
        format.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation.TableName });
        format.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
        var comment = (string)(await format.ExecuteScalarAsync(cancellationToken))!;
        await ExecuteAsync(connection, comment, cancellationToken);
    }

    private static string PgTypeFor(PropertyType type) => type switch
    {
        PropertyType.Integer => "int8",
        PropertyType.Number => "float8",
        PropertyType.Boolean => "bool",
        PropertyType.Date => "date",
        PropertyType.DateTime => "timestamptz",
        PropertyType.Other => "json",
        _ => "text",
    };

    private static string SqlTypeFor(PropertySchema property) => property.Type switch
    {
        // A length is a number, spliced like the SRID; the schema types it as an int.
        PropertyType.String when property.MaxLength is { } length => $"varchar({length.ToString(CultureInfo.InvariantCulture)})",
        PropertyType.Integer => "bigint",
        PropertyType.Number => "double precision",
        PropertyType.Boolean => "boolean",
        PropertyType.Date => "date",
        PropertyType.DateTime => "timestamptz",
        // json keeps the text as given and is read back as Other; values must be JSON.
        PropertyType.Other => "json",
        _ => "text",
    };

    private static async Task<long> CopyAsync(
        NpgsqlConnection connection, PostGisRelation relation, CollectionSchema schema, IReadOnlyList<PostGisColumn> columns,
        long lastId, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken)
    {
        var columnList = string.Join(", ", [relation.IdColumn.Quoted, relation.QuotedGeometry, .. columns.Select(c => c.Quoted)]);
        long count = 0;
        // Disposing the importer before Complete cancels the COPY; the transaction then rolls back.
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {relation.QuotedName} ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await foreach (var feature in features.WithCancellation(cancellationToken))
        {
            count++;
            await importer.StartRowAsync(cancellationToken);
            await WriteAsync(importer, relation.IdColumn, IdOf(relation.IdColumn, feature, count, ref lastId), cancellationToken);
            await WriteGeometryAsync(importer, relation.Srid, feature.Geometry, cancellationToken);
            var matched = 0;
            for (var i = 0; i < columns.Count; i++)
            {
                var property = schema.Properties[i];
                if (feature.Properties.TryGetValue(property.Name, out var value)) matched++;
                if (value is null)
                    await importer.WriteNullAsync(cancellationToken);
                else
                    await WriteAsync(importer, columns[i], Canonical(property, value, feature, count), cancellationToken);
            }
            if (matched < feature.Properties.Count)
            {
                var unknown = feature.Properties.Keys.First(k => schema.FindProperty(k) is null);
                throw new ArgumentException($"{Describe(feature, count)} has the property '{unknown}', which '{schema.Id}' does not declare.", nameof(features));
            }
        }
        await importer.CompleteAsync(cancellationToken);
        return count;
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

    /// <summary>Moves an identity or serial sequence past the ids the load wrote, so later inserts do not collide.</summary>
    private static async Task AdvanceSequenceAsync(NpgsqlConnection connection, PostGisRelation relation, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT setval(s.seq, m.max_id)
            FROM (SELECT pg_get_serial_sequence($1, $2)::regclass AS seq) AS s,
                 (SELECT max({relation.IdColumn.Quoted})::int8 AS max_id FROM {relation.QuotedName}) AS m
            WHERE s.seq IS NOT NULL AND m.max_id > coalesce(pg_sequence_last_value(s.seq), 0)
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation.QuotedName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation.IdColumn.Name });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Describe(FeatureRecord feature, long position) =>
        feature.Id is null ? $"Feature #{position}" : $"Feature #{position} (id '{feature.Id}')";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Loaded {Collection}, but could not ANALYZE it; queries may be slow until autovacuum does.")]
        public static partial void AnalyzeFailed(ILogger logger, string collection, Exception exception);
    }
}
