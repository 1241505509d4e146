using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Puts a loaded staging table in the place of a collection's table, inside the load's transaction: the old table
/// is locked and dropped, the staging table takes its name, its indexes and sequence the names the old ones had,
/// and it inherits the old table's comment and privileges. Readers block only for the swap itself, and see either
/// the old table or the new one, never neither.
/// </summary>
internal static class TableSwap
{
    public static async Task<PostGisRelation> RunAsync(
        NpgsqlConnection connection, PostGisRelation old, PostGisRelation staging, CollectionSchema schema, CancellationToken cancellationToken)
    {
        await FeatureLoader.ExecuteAsync(connection, $"LOCK TABLE {old.QuotedName} IN ACCESS EXCLUSIVE MODE", cancellationToken);
        if (string.IsNullOrEmpty(schema.Description) && await CommentOfAsync(connection, old, cancellationToken) is { } comment)
            await FeatureLoader.CommentAsync(connection, staging, comment, cancellationToken);
        foreach (var grant in await GrantsAsync(connection, old, staging, cancellationToken))
            await FeatureLoader.ExecuteAsync(connection, grant, cancellationToken);
        try
        {
            await FeatureLoader.ExecuteAsync(connection, $"DROP TABLE {old.QuotedName}", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
        {
            // The server's detail naming the dependents is withheld unless the connection asks for error details.
            throw new StoreConflictException($"'{schema.Id}' cannot be replaced: {e.MessageText} (views or other objects depend on it). Drop them first, or append.", e);
        }
        await FeatureLoader.ExecuteAsync(connection, $"ALTER TABLE {staging.QuotedName} RENAME TO {Sql.Quote(old.TableName)}", cancellationToken);
        foreach (var (name, kind) in await DependentNamesAsync(connection, staging, cancellationToken))
        {
            var renamed = old.TableName + name[staging.TableName.Length..];
            // PostgreSQL cuts longer names; a cut name could collide with another, so such objects keep their staging names.
            if (System.Text.Encoding.UTF8.GetByteCount(renamed) > FeatureLoader.MaxIdentifierBytes) continue;
            await FeatureLoader.ExecuteAsync(connection,
                $"ALTER {(kind == 'S' ? "SEQUENCE" : "INDEX")} {Sql.Quote(old.SchemaName, name)} RENAME TO {Sql.Quote(renamed)}", cancellationToken);
        }
        return staging with { TableName = old.TableName };
    }

    private static async Task<string?> CommentOfAsync(NpgsqlConnection connection, PostGisRelation relation, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT obj_description($1::regclass, 'pg_class')", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = relation.QuotedName });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>GRANT statements giving the staging table what roles other than the owner may do with the old one.</summary>
    private static async Task<List<string>> GrantsAsync(NpgsqlConnection connection, PostGisRelation old, PostGisRelation staging, CancellationToken cancellationToken)
    {
        // Privilege names come from the catalog's fixed set and role names are quoted by the server.
        await using var command = new NpgsqlCommand(
            """
            SELECT format('GRANT %s ON %s TO %s%s', a.privilege_type, $2,
                          CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
                          CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
            FROM pg_catalog.pg_class c
            CROSS JOIN LATERAL aclexplode(c.relacl) a
            LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
            WHERE c.oid = $1::regclass AND a.grantee <> c.relowner
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = old.QuotedName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = staging.QuotedName });
        var grants = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) grants.Add(reader.GetString(0));
        return grants;
    }

    /// <summary>The indexes and sequences named after the staging table (…_pkey, …_geom_idx, …_id_seq).</summary>
    private static async Task<List<(string Name, char Kind)>> DependentNamesAsync(
        NpgsqlConnection connection, PostGisRelation staging, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname::text, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('i', 'S') AND starts_with(c.relname::text, $2 || '_')
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = staging.SchemaName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = staging.TableName });
        var names = new List<(string, char)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names.Add((reader.GetString(0), reader.GetChar(1)));
        return names;
    }
}
