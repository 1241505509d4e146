using System.Data;
using Meridian.Storage.Filtering;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Tiles;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>One published table or view; each call rents a pooled connection for as long as it reads (a page and its count, one for both).</summary>
internal class PostGisCollection(PostGisRelation relation, NpgsqlDataSource dataSource, ExtentCache extents)
    : IFeatureCollection, IVectorTileSource, IFeatureSnapshotSource
{
    private readonly FeatureSql _sql = new(relation);
    private readonly TileSql _tiles = new(relation);
    private readonly PropertyType[] _types = relation.Columns.Select(c => c.Type).ToArray();

    public CollectionSchema Schema => relation.Schema;

    internal PostGisRelation Relation => relation;

    /// <summary>The pool this collection reads through: its identity tells which store the collection belongs to.</summary>
    internal NpgsqlDataSource DataSource => dataSource;

    public Task<Envelope?> GetExtentAsync(CancellationToken cancellationToken) =>
        extents.GetAsync(Schema.Id, ComputeExtentAsync, cancellationToken);

    private async Task<Envelope?> ComputeExtentAsync(CancellationToken cancellationToken)
    {
        await using var session = await PostGisSession.OpenAsync(dataSource, cancellationToken);
        await using var command = session.CreateCommand(_sql.Extent());
        await using var reader = await ReadAsync(session, command, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        return new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
    }

    public async Task<TimeInterval?> GetTemporalExtentAsync(CancellationToken cancellationToken)
    {
        var temporal = Schema.TemporalProperty is { } name ? relation.FindColumn(name) : null;
        if (temporal is null) return null;
        await using var session = await PostGisSession.OpenAsync(dataSource, cancellationToken);
        await using var command = session.CreateCommand(_sql.TemporalExtent(temporal));
        await using var reader = await ReadAsync(session, command, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        return new TimeInterval(reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task<long> CountAsync(FeatureQuery query, CancellationToken cancellationToken)
    {
        await using var session = await PostGisSession.OpenAsync(dataSource, cancellationToken);
        return await CountAsync(session, query, cancellationToken);
    }

    private async Task<long> CountAsync(PostGisSession session, FeatureQuery query, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand();
        command.CommandText = _sql.Count(new SqlParameters(command), query);
        try
        {
            return (long)(await session.ExecuteScalarAsync(command, cancellationToken))!;
        }
        catch (PostgresException e) when (IsDataError(e))
        {
            throw new FilterException($"the filter cannot be evaluated: {e.MessageText}", e);
        }
        catch (PostgresException e) when (IsRelationChange(e))
        {
            throw new CollectionChangedException(Schema.Id, e);
        }
    }

    /// <summary>SQLSTATE class 22: values the filter's arithmetic or pattern cannot handle (an overflow, a bad escape).</summary>
    private static bool IsDataError(PostgresException e) => e.SqlState.StartsWith("22", StringComparison.Ordinal);

    /// <summary>
    /// A column or the table itself is gone (42703, 42P01): the relation this collection was discovered with has been
    /// replaced or dropped since (Meridian's statements name only columns discovery found).
    /// </summary>
    internal static bool IsRelationChange(PostgresException e) => e.SqlState is PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedTable;

    private async Task<NpgsqlDataReader> ReadAsync(PostGisSession session, NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await session.ExecuteReaderAsync(command, cancellationToken);
        }
        catch (PostgresException e) when (IsRelationChange(e))
        {
            throw new CollectionChangedException(Schema.Id, e);
        }
    }

    public async Task<IFeatureReader> QueryAsync(FeatureQuery query, CancellationToken cancellationToken)
    {
        var session = !query.CountMatches || query.CountsWithPage
            ? await PostGisSession.OpenAsync(dataSource, cancellationToken)
            : await OpenSnapshotAsync(cancellationToken);
        var count = query.CountMatches && !query.CountsWithPage
            ? ct => CountAsync(session, query.WithoutPaging(), ct)
            : (Func<CancellationToken, Task<long>>?)null;
        return await OpenAsync(session, parameters => _sql.Page(parameters, query), cancellationToken, query.CountsWithPage, count,
            project: Projection(query.OutputCrs));
    }

    /// <summary>
    /// A snapshot for a page and its count. A table is locked (ACCESS SHARE) before anything is read: a load replacing
    /// it takes ACCESS EXCLUSIVE to swap its staging table in, so the swap waits for the count; and the snapshot,
    /// taken by the first read, after the lock, sees the rows of a table swapped in while the lock was awaited (one
    /// taken before would see that table empty).
    /// </summary>
    private async Task<PostGisSession> OpenSnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = await PostGisSession.BeginAsync(dataSource, IsolationLevel.RepeatableRead, cancellationToken);
        if (!relation.IsTable) return snapshot;
        try
        {
            await using var command = snapshot.CreateCommand($"LOCK TABLE {relation.QuotedName} IN ACCESS SHARE MODE");
            await snapshot.ExecuteNonQueryAsync(command, cancellationToken);
            return snapshot;
        }
        catch (PostgresException e) when (IsRelationChange(e))
        {
            await snapshot.DisposeAsync();
            throw new CollectionChangedException(Schema.Id, e);
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }

    public async Task<IFeatureReader> GetAsync(string featureId, Crs crs, CancellationToken cancellationToken) =>
        await OpenAsync(await PostGisSession.OpenAsync(dataSource, cancellationToken), parameters => _sql.Single(parameters, featureId, crs),
            cancellationToken, project: Projection(crs));

    /// <summary>The CRS the reader projects the rows' CRS84 GeoJSON to (see <see cref="FeatureSql.ProjectsInReader"/>), or null.</summary>
    private Crs? Projection(Crs crs) => _sql.ProjectsInReader(crs) ? crs : null;

    public async Task<IFeatureReader> ReadSnapshotAsync(CancellationToken cancellationToken) =>
        await OpenAsync(await PostGisSession.OpenAsync(dataSource, cancellationToken), _ => _sql.Snapshot(), cancellationToken,
            storedGeometry: true);

    public async Task<byte[]> GetTileAsync(TileRequest request, CancellationToken cancellationToken)
    {
        await using var session = await PostGisSession.OpenAsync(dataSource, cancellationToken);
        await using var command = session.CreateCommand();
        command.CommandText = _tiles.Tile(new SqlParameters(command), request);
        try
        {
            return (byte[])(await session.ExecuteScalarAsync(command, cancellationToken))!;
        }
        catch (PostgresException e) when (IsRelationChange(e))
        {
            throw new CollectionChangedException(Schema.Id, e);
        }
    }

    /// <summary>
    /// Runs a read in <paramref name="session"/>, which the reader then owns (with the command); a null statement means
    /// nothing can match. <paramref name="count"/> counts the page's matches in the session's snapshot;
    /// <paramref name="storedGeometry"/> reads the stored geometry itself rather than GeoJSON (a backup's rows);
    /// <paramref name="project"/> is the CRS the reader projects CRS84 GeoJSON rows to, if any.
    /// </summary>
    private async Task<IFeatureReader> OpenAsync(PostGisSession session, Func<SqlParameters, string?> build, CancellationToken cancellationToken,
        bool counted = false, Func<CancellationToken, Task<long>>? count = null, bool storedGeometry = false, Crs? project = null)
    {
        var command = session.CreateCommand();
        try
        {
            var sql = build(new SqlParameters(command));
            if (sql is null)
            {
                await command.DisposeAsync();
                await session.DisposeAsync();
                return EmptyFeatureReader.Instance;
            }
            command.CommandText = sql;
            var reader = await ReadAsync(session, command, cancellationToken);
            return new PostGisFeatureReader(session, command, reader, _types, counted, count, storedGeometry, project: project);
        }
        catch (PostgresException e) when (IsDataError(e))
        {
            await command.DisposeAsync();
            await session.DisposeAsync();
            throw new FilterException($"the filter cannot be evaluated: {e.MessageText}", e);
        }
        catch
        {
            await command.DisposeAsync();
            await session.DisposeAsync();
            throw;
        }
    }
}
