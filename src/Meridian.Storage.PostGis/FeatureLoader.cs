using System.Globalization;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Bulk loads in one transaction: create the table when missing (or a staging table to replace it), binary COPY
/// every feature, commit. Any failure (a bad value in the middle of the stream included) rolls everything back,
/// the new table too. The load itself is a <see cref="PostGisLoad"/>, which the ingest may also drive feature by
/// feature while it reads the file.
/// </summary>
internal sealed class FeatureLoader(NpgsqlDataSource dataSource, ILogger logger)
{
    /// <summary>What a load does with the collection's existing table.</summary>
    public enum ExistingTable
    {
        /// <summary>Appends to it.</summary>
        Append,

        /// <summary>Begins no load (returns null): the caller loads another way.</summary>
        Skip,

        /// <summary>Refuses it: the load creates the collection, or fails with nothing written.</summary>
        Refuse,

        /// <summary>Loads a new table beside it, swapped in for it on completion.</summary>
        Replace,
    }

    /// <summary>PostgreSQL's NAMEDATALEN - 1: the longest table, column or index name, in bytes.</summary>
    internal const int MaxIdentifierBytes = 63;

    private static readonly string[] IdColumnNames = ["id", "fid", "ogc_fid", "gid"];
    private static readonly string[] GeometryColumnNames = ["geom", "geometry", "the_geom"];

    /// <summary>
    /// Loads into the collection's table, creating it when missing; an existing one is appended to, refused, or
    /// (<see cref="ExistingTable.Replace"/>) has a new table built beside it (which readers keep seeing) and swapped in
    /// for it when the load is complete, in the same transaction: readers see the old rows or all the new ones.
    /// </summary>
    public async Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, ExistingTable ifExisting,
        Action<long> completed, CancellationToken cancellationToken)
    {
        await using var load = (await BeginAsync(schema, ifExisting, completed, cancellationToken))!;
        await foreach (var feature in features.WithCancellation(cancellationToken)) await load.WriteAsync(feature, cancellationToken);
        return await load.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a load's connection and transaction and starts its COPY: into a new table, or into the existing one
    /// (<see cref="ExistingTable.Append"/>); null for an existing one with <see cref="ExistingTable.Skip"/>.
    /// </summary>
    public async Task<PostGisLoad?> BeginAsync(CollectionSchema schema, ExistingTable ifExisting, Action<long> completed, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var (schemaName, tableName) = await ResolveNameAsync(connection, schema.Id, cancellationToken);
            var existing = await FindAsync(connection, schemaName, tableName, schema.Id, cancellationToken);
            if (existing is not null && ifExisting != ExistingTable.Replace)
            {
                if (ifExisting == ExistingTable.Refuse) throw new StoreConflictException($"'{schema.Id}' exists in the database.");
                if (ifExisting == ExistingTable.Skip)
                {
                    await connection.DisposeAsync();
                    return null;
                }
                var columns = MatchColumns(existing, schema);
                return await PostGisLoad.AppendAsync(connection, transaction, existing, schema, columns, logger, completed, cancellationToken);
            }
            // A table made by this transaction stays invisible to others until the commit. Its primary key and
            // spatial index are built after the COPY (PostGisLoad.CompleteAsync): one sorted build of each costs the
            // server much less than growing them row by row (for 100,000 rows, the COPY took 0.42 s instead of
            // 0.72-0.93 s, and adding the key afterwards 0.10-0.15 s).
            PostGisRelation loaded;
            try
            {
                loaded = await CreateTableAsync(connection, schemaName, existing is null ? tableName : StagingName(), schema,
                    primaryKey: false, cancellationToken);
            }
            catch (PostgresException e) when (existing is null && e.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
            {
                // Another load created the table and committed while this one waited for it (the unique violation is
                // of the table's row type, in pg_type).
                throw new StoreConflictException($"'{schema.Id}' exists in the database: another load created it meanwhile.", e);
            }
            return await PostGisLoad.CreateAsync(connection, transaction, loaded, existing, logger, completed, cancellationToken);
        }
        catch
        {
            // Closing the connection rolls back whatever the transaction did.
            await connection.DisposeAsync();
            throw;
        }
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
            : throw new StoreConflictException($"'{collectionId}' exists but has no geometry column.");
        var relation = entry.Relation ?? throw new StoreConflictException($"'{collectionId}' exists but cannot take features: {entry.Problem}.");
        return relation.IsTable ? relation : throw new StoreConflictException($"'{collectionId}' is a view, not a table.");
    }

    /// <summary>The existing columns that take the schema's properties, in schema order.</summary>
    private static List<PostGisColumn> MatchColumns(PostGisRelation relation, CollectionSchema schema)
    {
        if (relation.Schema.IdKind != schema.IdKind)
            throw new StoreConflictException($"'{schema.Id}' has {relation.Schema.IdKind} ids, the load has {schema.IdKind} ids.");
        if (relation.Srid != 0 && relation.Srid != schema.StorageSrid)
            throw new StoreConflictException($"'{schema.Id}' stores SRID {relation.Srid}, the load has SRID {schema.StorageSrid}.");
        return schema.Properties.Select(property =>
        {
            var column = relation.FindColumn(property.Name)
                ?? throw new StoreConflictException($"'{schema.Id}' has no column '{property.Name}'.");
            return CanTake(column.PgType, property.Type)
                ? column
                : throw new StoreConflictException($"Column '{property.Name}' of '{schema.Id}' is {column.PgType} and cannot take {property.Type} values.");
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
        var relation = await CreateTableAsync(connection, schemaName, tableName, schema, primaryKey: true, cancellationToken);
        await CreateSpatialIndexAsync(connection, relation, cancellationToken);
        return relation;
    }

    /// <summary>The primary key of a table created without one for a load, built once its rows are in.</summary>
    internal static Task AddPrimaryKeyAsync(NpgsqlConnection connection, PostGisRelation relation, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"ALTER TABLE {relation.QuotedName} ADD PRIMARY KEY ({relation.IdColumn.Quoted})", cancellationToken);

    internal static Task CreateSpatialIndexAsync(NpgsqlConnection connection, PostGisRelation relation, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, $"CREATE INDEX ON {relation.QuotedName} USING gist ({relation.QuotedGeometry})", cancellationToken);

    private static async Task<PostGisRelation> CreateTableAsync(
        NpgsqlConnection connection, string schemaName, string tableName, CollectionSchema schema, bool primaryKey, CancellationToken cancellationToken)
    {
        // PostgreSQL would cut a longer name short, silently: the collection would not have the id asked for.
        if (System.Text.Encoding.UTF8.GetByteCount(tableName) > MaxIdentifierBytes)
            throw new ArgumentException($"'{schema.Id}' is too long for a PostgreSQL table name, which has at most {MaxIdentifierBytes} bytes.");
        var names = schema.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        // Properties keep their names; the id and geometry columns take the first conventional name left free.
        var idName = IdColumnNames.First(n => !names.Contains(n));
        var geometryName = GeometryColumnNames.FirstOrDefault(n => !names.Contains(n))
            ?? throw new InvalidOperationException($"'{schema.Id}' has properties named {string.Join(", ", GeometryColumnNames)}; one must be free for the geometry.");
        var id = new PostGisColumn(idName, schema.IdKind == FeatureIdKind.Integer ? "int8" : "text",
            schema.IdKind == FeatureIdKind.Integer ? PropertyType.Integer : PropertyType.String);
        var columns = schema.Properties.Select(ColumnFor).ToList();
        var relation = new PostGisRelation(schemaName, tableName, true, geometryName, schema.StorageSrid, id, columns, schema);

        var definitions = new List<string>
        {
            schema.IdKind == FeatureIdKind.Integer
                ? $"{id.Quoted} bigint GENERATED BY DEFAULT AS IDENTITY{(primaryKey ? " PRIMARY KEY" : "")}"
                : $"{id.Quoted} text{(primaryKey ? " PRIMARY KEY" : " NOT NULL")}",
            $"{relation.QuotedGeometry} {GeometryTypeFor(schema)}",
        };
        definitions.AddRange(schema.Properties.Select(ColumnDefinition));
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

    internal static PostGisColumn ColumnFor(PropertySchema property) =>
        new(property.Name, property.MaxLength is null ? PgTypeFor(property.Type) : "varchar", property.Type);

    internal static string ColumnDefinition(PropertySchema property) =>
        $"{Sql.Quote(property.Name)} {SqlTypeFor(property)}{(property.Nullable ? "" : " NOT NULL")}";

    // Kind and SRID are an enum name and a number, the only non-identifiers spliced into DDL. A collection with
    // heights gets the Z typmod (geometry(POINTZ, 4326)) rather than a bare geometry column with CHECK constraints:
    // geometry_columns then reports coord_dimension 3 and the type, which is what QGIS, GDAL and this catalog read,
    // and PostGIS itself refuses a 2D geometry in it (and a 3D one in a 2D column), so no write can mix them.
    internal static string GeometryTypeFor(CollectionSchema schema) =>
        $"geometry({schema.GeometryType.ToSqlName()}{(schema.HasZ ? "Z" : "")}, {schema.StorageSrid.ToString(CultureInfo.InvariantCulture)})";

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

    internal static string SqlTypeFor(PropertySchema property) => property.Type switch
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

    /// <summary>Moves an identity or serial sequence past the ids the load wrote, so later inserts do not collide.</summary>
    internal static async Task AdvanceSequenceAsync(NpgsqlConnection connection, PostGisRelation relation, CancellationToken cancellationToken)
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
}
