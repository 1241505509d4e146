using Meridian.Storage.Schema;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>A relation with a geometry column: published as <see cref="Relation"/>, or not, for <see cref="Problem"/>.</summary>
internal sealed record CatalogEntry(string CollectionId, PostGisRelation? Relation, string? Problem);

/// <summary>
/// Reads which tables and views hold geometry from PostGIS's geometry_columns and pg_catalog, and decides how
/// each becomes a collection:
/// <list type="bullet">
/// <item>the first geometry column (in column order) is published; further ones are left out;</item>
/// <item>the feature id is a single-column primary key of an integer, text, varchar or uuid type; relations
/// without one (views, mostly) use the first column named id, fid, gid or ogc_fid of such a type, in that
/// order; relations with neither are not published;</item>
/// <item>every other non-geometry column is a property; the first date or timestamp one is the temporal
/// property.</item>
/// </list>
/// </summary>
internal static class RelationCatalog
{
    private static readonly string[] ConventionalIdNames = ["id", "fid", "gid", "ogc_fid"];

    // One row per column of every relation that geometry_columns would list (the same kinds, the same exclusions).
    // Partitions are left out: their partitioned parent is the collection.
    // The relations are chosen from pg_class and pg_attribute, not from geometry_columns: has_table_privilege looks an oid
    // up in the server's caches, which already know of a commit that this statement's snapshot does not see. A table
    // dropped by a replace committed meanwhile is still in the snapshot, but its privilege check is NULL, and
    // geometry_columns (which requires it true) silently left the collection out of the listing. Here such a relation is
    // kept (NULL is not a refusal) and comes back without geometry_columns' row: ReadAsync reads again.
    private const string Query = """
        WITH relations AS (
            SELECT c.oid AS relid, n.nspname::text AS schema_name, c.relname::text AS table_name,
                   c.relkind IN ('r', 'p') AS is_table, obj_description(c.oid, 'pg_class') AS comment
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
              AND c.relname <> 'raster_columns' AND NOT pg_is_other_temp_schema(c.relnamespace)
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute ga JOIN pg_catalog.pg_type gt ON gt.oid = ga.atttypid
                          WHERE ga.attrelid = c.oid AND ga.attnum > 0 AND NOT ga.attisdropped AND gt.typname = 'geometry')
              AND has_table_privilege(c.oid, 'SELECT') IS NOT FALSE
              AND ($1::text IS NULL OR (n.nspname = $1 AND c.relname = $2))
        )
        SELECT r.schema_name, r.table_name, r.is_table, r.comment,
               a.attname::text, coalesce(bt.typname, t.typname)::text, NOT a.attnotnull,
               g.srid, g.type::text,
               EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                       WHERE i.indrelid = r.relid AND i.indisprimary AND i.indnatts = 1 AND i.indkey[0] = a.attnum),
               a.atttypmod, g.coord_dimension
        FROM relations r
        JOIN pg_catalog.pg_attribute a ON a.attrelid = r.relid AND a.attnum > 0 AND NOT a.attisdropped
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
        LEFT JOIN geometry_columns g
               ON g.f_table_schema = r.schema_name AND g.f_table_name = r.table_name AND g.f_geometry_column = a.attname
        ORDER BY r.schema_name, r.table_name, a.attnum
        """;

    private sealed record Row(
        string Schema, string Table, bool IsTable, string? Comment,
        string Column, string PgType, bool Nullable, int? Srid, string? GeometryType, bool IsPrimaryKey, int TypeModifier, int? CoordDimension);

    /// <summary>
    /// The schema and name of every relation that could be a collection (tables, views, materialized views, foreign
    /// tables; not partitions), without reading their columns: a superset of what <see cref="ReadAsync"/> describes.
    /// </summary>
    public static async Task<List<(string Schema, string Table)>> NamesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT n.nspname::text, c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition -- the kinds geometry_columns lists
            """,
            connection);
        var names = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names.Add((reader.GetString(0), reader.GetString(1)));
        return names;
    }

    /// <summary>Every relation with a geometry column, or only <paramref name="schemaName"/>.<paramref name="tableName"/>.</summary>
    /// <remarks>
    /// Read while a load swaps its staging table in, a relation can come back without its geometry column: the statement's
    /// snapshot still sees the old table, which geometry_columns no longer lists because it checks privileges by oid through
    /// the server's caches, where the swap's commit has dropped it (see <see cref="Query"/>). Read again under a new
    /// snapshot, it has settled.
    /// </remarks>
    public static async Task<IReadOnlyList<CatalogEntry>> ReadAsync(
        NpgsqlConnection connection, string? schemaName, string? tableName, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var relations = (await ReadRowsAsync(connection, schemaName, tableName, cancellationToken)).GroupBy(r => (r.Schema, r.Table)).ToList();
            var unsettled = relations.FirstOrDefault(columns => !columns.Any(c => c.Srid is not null));
            if (unsettled is null) return relations.Select(g => Describe(g.Key.Schema, g.Key.Table, g.ToList())).ToList();
            // Replaced over and over: a 503 with Retry-After, rather than a listing without the collection.
            if (attempt == attempts)
            {
                var id = PostGisRelation.CollectionIdOf(unsettled.Key.Schema, unsettled.Key.Table);
                throw new CollectionChangedException(id, new InvalidOperationException($"'{id}' came back without its geometry column {attempts} times."));
            }
        }
    }

    private static async Task<List<Row>> ReadRowsAsync(NpgsqlConnection connection, string? schemaName, string? tableName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Query, connection);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = schemaName, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tableName, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });

        var rows = new List<Row>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new Row(
                    reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetBoolean(6),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.GetBoolean(9), reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetInt32(11)));
            }
        }
        return rows;
    }

    /// <summary>
    /// Whether a geometry column holds heights: geometry_columns gives a Z typmod (POINTZ) as type POINT with
    /// coord_dimension 3, a measured one (POINTM) as POINTM with 3, and one with both as POINT with 4.
    /// </summary>
    private static bool HasZ(Row geometry) =>
        geometry.CoordDimension == 4 || geometry.CoordDimension == 3 && geometry.GeometryType?.EndsWith('M') == false;

    private static CatalogEntry Describe(string schemaName, string tableName, List<Row> columns)
    {
        var collectionId = PostGisRelation.CollectionIdOf(schemaName, tableName);
        var geometry = columns.First(c => c.Srid is not null);
        var id = columns.FirstOrDefault(c => c.IsPrimaryKey && PostGisColumn.IdKindOf(c.PgType) is not null && c != geometry)
            ?? ConventionalIdNames
                .Select(name => columns.FirstOrDefault(c => c.Column == name && PostGisColumn.IdKindOf(c.PgType) is not null))
                .FirstOrDefault(c => c is not null);
        if (id is null)
        {
            return new CatalogEntry(collectionId, null,
                "it has no single-column integer, text or uuid primary key and no such column named id, fid, gid or ogc_fid");
        }

        var properties = columns
            .Where(c => c != id && c.PgType != "geometry")
            .Select(c => new PostGisColumn(c.Column, c.PgType, PostGisColumn.TypeOf(c.PgType)))
            .ToList();
        var nullability = columns.ToDictionary(c => c.Column, c => c.Nullable, StringComparer.Ordinal);
        // varchar(n) and char(n) keep n + 4 (the varlena header) as their type modifier; -1 means no limit.
        var maxLengths = columns.ToDictionary(c => c.Column, c => c.PgType is "varchar" or "bpchar" && c.TypeModifier > 4 ? c.TypeModifier - 4 : (int?)null,
            StringComparer.Ordinal);
        var srid = geometry.Srid!.Value;
        var schema = new CollectionSchema(
            Id: collectionId,
            Title: collectionId,
            Description: columns[0].Comment,
            GeometryType: GeometryKinds.Parse(geometry.GeometryType),
            // geometry_columns reports 0 for a column without an SRID; such data is taken as CRS84.
            StorageSrid: srid == 0 ? 4326 : srid,
            IdKind: PostGisColumn.IdKindOf(id.PgType)!.Value,
            Properties: properties.Select(p => new PropertySchema(p.Name, p.Type, nullability[p.Name], maxLengths[p.Name])).ToList(),
            TemporalProperty: properties.FirstOrDefault(p => p.Type is PropertyType.Date or PropertyType.DateTime)?.Name)
        {
            GeometryName = geometry.Column,
            HasZ = HasZ(geometry),
        };
        var relation = new PostGisRelation(
            schemaName, tableName, columns[0].IsTable, geometry.Column, srid,
            new PostGisColumn(id.Column, id.PgType, PostGisColumn.TypeOf(id.PgType)), properties, schema)
        {
            TakesAnyDimension = geometry.TypeModifier == -1,
        };
        return new CatalogEntry(collectionId, relation, null);
    }
}
