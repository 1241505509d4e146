using Meridian.Storage.Spatial;
using System.Data;
using System.Globalization;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Single-feature writes to one table, each in one transaction: parameterized INSERT … RETURNING, UPDATE and
/// DELETE. A replace, update or delete first locks the row (SELECT … FOR UPDATE), so the precondition sees what
/// the write changes. CRS84 geometries are transformed to the column's SRID by PostGIS.
/// </summary>
internal sealed class PostGisFeatureWriter(PostGisRelation relation, NpgsqlDataSource dataSource, ExtentCache extents)
{
    private readonly FeatureSql _sql = new(relation);
    private readonly PropertyType[] _types = relation.Columns.Select(c => c.Type).ToArray();

    public async Task<string> InsertAsync(FeatureRecord feature, WriteHooks hooks, CancellationToken ct)
    {
        await using var session = await PostGisSession.BeginAsync(dataSource, IsolationLevel.Unspecified, ct);
        await using var insert = session.CreateCommand();
        var values = Assignments(new SqlParameters(insert), FeaturePatch.Replacing(relation.Schema, feature));
        // Integer ids come from the column's identity or serial default; text and uuid ids are new UUIDs.
        if (relation.IdColumn.Type != PropertyType.Integer)
        {
            var id = Guid.NewGuid();
            values.Insert(0, (relation.IdColumn.Quoted, relation.IdColumn.PgType == "uuid"
                ? new SqlParameters(insert).Add(id)
                : new SqlParameters(insert).Add(id.ToString())));
        }
        insert.CommandText = $"INSERT INTO {relation.QuotedName} ({string.Join(", ", values.Select(v => v.Column))}) "
            + $"VALUES ({string.Join(", ", values.Select(v => v.Value))}) RETURNING {relation.IdColumn.Quoted}::text";
        var featureId = (string)(await ExecuteAsync(session, insert, ct))!;
        await ObserveAsync(session, featureId, hooks.Written, ct);
        await session.CommitAsync(ct);
        extents.Invalidate(relation.Schema.Id);
        return featureId;
    }

    public async Task<WriteOutcome> UpdateAsync(string featureId, FeaturePatch patch, WriteHooks hooks, CancellationToken ct)
    {
        await using var session = await PostGisSession.BeginAsync(dataSource, IsolationLevel.Unspecified, ct);
        var found = await LockAsync(session, featureId, hooks.Precondition, ct);
        if (found != WriteOutcome.Written) return found;
        await using (var update = session.CreateCommand())
        {
            var parameters = new SqlParameters(update);
            var values = Assignments(parameters, patch);
            if (values.Count > 0 && _sql.TryAddId(parameters, featureId, out var key))
            {
                update.CommandText = $"UPDATE {relation.QuotedName} SET {string.Join(", ", values.Select(v => $"{v.Column} = {v.Value}"))} "
                    + $"WHERE {relation.IdColumn.Quoted} = {key}";
                await ExecuteAsync(session, update, ct);
            }
        }
        await ObserveAsync(session, featureId, hooks.Written, ct);
        await session.CommitAsync(ct);
        extents.Invalidate(relation.Schema.Id);
        return WriteOutcome.Written;
    }

    public async Task<WriteOutcome> DeleteAsync(string featureId, WriteHooks hooks, CancellationToken ct)
    {
        await using var session = await PostGisSession.BeginAsync(dataSource, IsolationLevel.Unspecified, ct);
        var found = await LockAsync(session, featureId, hooks.Precondition, ct);
        if (found != WriteOutcome.Written) return found;
        await using (var delete = session.CreateCommand())
        {
            // LockAsync found the feature, so the id parses.
            _sql.TryAddId(new SqlParameters(delete), featureId, out var key);
            delete.CommandText = $"DELETE FROM {relation.QuotedName} WHERE {relation.IdColumn.Quoted} = {key}";
            await ExecuteAsync(session, delete, ct);
        }
        await session.CommitAsync(ct);
        extents.Invalidate(relation.Schema.Id);
        return WriteOutcome.Written;
    }

    /// <summary>The (quoted column, parameter expression) pairs a patch sets.</summary>
    private List<(string Column, string Value)> Assignments(SqlParameters parameters, FeaturePatch patch)
    {
        var values = new List<(string, string)>();
        if (patch.SetsGeometry) values.Add((relation.QuotedGeometry, Geometry(parameters, patch.Geometry)));
        foreach (var (name, value) in patch.Properties)
        {
            var column = relation.FindColumn(name) ?? throw new InvalidFeatureException($"'{relation.Schema.Id}' has no property '{name}'.");
            if (value is null)
            {
                values.Add((column.Quoted, "NULL"));
                continue;
            }
            var (provider, type) = PostGisValues.For(column, value);
            values.Add((column.Quoted, parameters.Add(provider, type)));
        }
        return values;
    }

    /// <summary>A CRS84 geometry as the column stores it: transformed to its SRID, or given SRID 0 when it has none.</summary>
    private string Geometry(SqlParameters parameters, Geometry? geometry)
    {
        if (geometry is null || geometry.IsEmpty) return "NULL";
        var crs84 = geometry.Copy();
        crs84.SRID = 4326;
        var value = parameters.Add(crs84, NpgsqlDbType.Geometry);
        return relation.Srid switch
        {
            4326 => value,
            0 => $"ST_SetSRID({value}, 0)",
            var srid => $"ST_Transform({value}, {srid.ToString(CultureInfo.InvariantCulture)})",
        };
    }

    private async Task<object?> ExecuteAsync(PostGisSession session, NpgsqlCommand command, CancellationToken ct)
    {
        try
        {
            return await session.ExecuteScalarAsync(command, ct);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("23", StringComparison.Ordinal)) // integrity constraint violation
        {
            throw new StoreConflictException(e.MessageText, e);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal)) // data exception: a value the column refuses
        {
            throw new InvalidFeatureException(e.MessageText, e);
        }
        catch (PostgresException e) when (PostGisCollection.IsRelationChange(e))
        {
            throw new CollectionChangedException(relation.Schema.Id, e);
        }
    }

    /// <summary>Locks the feature's row; whether it exists and the precondition (if any) accepts it.</summary>
    private async Task<WriteOutcome> LockAsync(PostGisSession session, string featureId, Func<IFeatureReader, bool>? precondition, CancellationToken ct)
    {
        var outcome = WriteOutcome.NotFound;
        await ReadOneAsync(session, featureId, " FOR UPDATE",
            reader => outcome = precondition is null || precondition(reader) ? WriteOutcome.Written : WriteOutcome.PreconditionFailed, ct);
        return outcome;
    }

    private Task ObserveAsync(PostGisSession session, string featureId, Action<IFeatureReader>? written, CancellationToken ct) =>
        written is null ? Task.CompletedTask : ReadOneAsync(session, featureId, "", written, ct);

    private async Task ReadOneAsync(PostGisSession session, string featureId, string suffix, Action<IFeatureReader> visit, CancellationToken ct)
    {
        var command = session.CreateCommand();
        var sql = _sql.Single(new SqlParameters(command), featureId, CrsRegistry.Crs84);
        if (sql is null)
        {
            await command.DisposeAsync();
            return;
        }
        command.CommandText = sql + suffix;
        NpgsqlDataReader read;
        try
        {
            read = await session.ExecuteReaderAsync(command, ct);
        }
        catch (PostgresException e) when (PostGisCollection.IsRelationChange(e))
        {
            await command.DisposeAsync();
            throw new CollectionChangedException(relation.Schema.Id, e);
        }
        await using var reader = new PostGisFeatureReader(session, command, read, _types, endsSession: false);
        if (await reader.ReadAsync(ct)) visit(reader);
    }
}
