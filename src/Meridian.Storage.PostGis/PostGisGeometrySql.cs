using System.Data;
using System.Globalization;
using Meridian.Storage.Analysis;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Buffer and dissolve as one statement: <c>INSERT INTO target SELECT … ST_Union(ST_Buffer(geom::geography, $1)::geometry)
/// … GROUP BY …</c> into a table made by the loader's own DDL, in one transaction. The distance and the filter's
/// literals are parameters; only quoted identifiers enter the SQL text.
/// </summary>
internal sealed class PostGisGeometrySql(NpgsqlDataSource dataSource)
{
    public async Task<long> RunAsync(PostGisRelation source, GeometrySqlOperation operation, CancellationToken cancellationToken)
    {
        await using var session = await PostGisSession.BeginAsync(dataSource, IsolationLevel.Unspecified, cancellationToken);
        var connection = session.Connection;
        var (schemaName, tableName) = await FeatureLoader.ResolveNameAsync(connection, operation.Target.Id, cancellationToken);
        PostGisRelation target;
        try
        {
            target = await FeatureLoader.CreateAsync(connection, schemaName, tableName, operation.Target, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateTable)
        {
            throw new StoreConflictException($"'{operation.Target.Id}' exists in the database.", e);
        }
        await using var command = session.CreateCommand();
        command.CommandText = Insert(source, target, operation, new SqlParameters(command));
        command.CommandTimeout = 0;
        int count;
        try
        {
            count = await session.ExecuteNonQueryAsync(command, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InternalError && e.MessageText.Contains("GEOS", StringComparison.Ordinal))
        {
            // PostGIS reports what GEOS refuses (a topology conflict in invalid input) as an internal error.
            throw new GeometryOperationException($"PostGIS could not compute the result: {e.MessageText}", e);
        }
        await session.CommitAsync(cancellationToken);
        return count;
    }

    private static string Insert(PostGisRelation source, PostGisRelation target, GeometrySqlOperation operation, SqlParameters parameters)
    {
        var geometry = source.Srid is 4326 or 0
            ? $"ST_SetSRID({source.QuotedGeometry}, 4326)"
            : $"ST_Transform({source.QuotedGeometry}, 4326)";
        // geography buffers in metres, in a projection PostGIS picks per geometry (UTM for those smaller than a zone).
        if (operation.BufferMetres is { } metres) geometry = $"ST_Buffer(({geometry})::geography, {parameters.Add(metres)})::geometry";
        if (operation.Dissolve) geometry = $"ST_Union({geometry})";
        if (operation.Target.GeometryType is GeometryKind.MultiPoint or GeometryKind.MultiLineString or GeometryKind.MultiPolygon)
            geometry = $"ST_Multi({geometry})";

        var copied = target.Columns.Select(c => source.FindColumn(c.Name)
            ?? throw new ArgumentException($"'{source.Schema.Id}' has no property '{c.Name}'.", nameof(operation))).ToList();
        var columns = string.Join("", target.Columns.Select(c => c.Quoted + ", "));
        var values = string.Join("", copied.Select((c, i) => $"{c.Quoted}::{target.Columns[i].PgType} AS c{i.ToString(CultureInfo.InvariantCulture)}, "));
        var where = new FeatureSql(source).Where(parameters, new FeatureQuery { Filter = operation.Filter });
        var groupBy = operation.Dissolve && copied.Count > 0 ? " GROUP BY " + string.Join(", ", copied.Select(c => c.Quoted)) : "";
        var aliases = string.Join("", copied.Select((_, i) => $"r.c{i.ToString(CultureInfo.InvariantCulture)}, "));
        // An aggregate over no rows still yields one (null) row; empty buffers (a negative distance) are dropped too.
        return $"INSERT INTO {target.QuotedName} ({columns}{target.QuotedGeometry}) "
            + $"SELECT {aliases}r.g FROM (SELECT {values}{geometry} AS g FROM {source.QuotedName}{where}{groupBy}) AS r "
            + "WHERE r.g IS NOT NULL AND NOT ST_IsEmpty(r.g)";
    }
}
