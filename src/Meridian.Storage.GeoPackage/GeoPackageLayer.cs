using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Tiles;
using Meridian.Storage.Writing;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>One feature table of a GeoPackage file, served as a collection.</summary>
internal sealed class GeoPackageLayer(GeoPackageStore store, GeoPackageLayerInfo info) : IWritableFeatureCollection, IVectorTileSource, IFeatureSnapshotSource
{
    private readonly GeoPackageFeatureWriter _writer = new(store, info);

    public CollectionSchema Schema => info.Schema;

    internal string StoreFilePath => store.FilePath;

    public async Task<Envelope?> GetExtentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = info.RTree is { } rtree
            ? $"SELECT min(minx), min(miny), max(maxx), max(maxy) FROM {Quote(rtree)}"
            : $"SELECT min(ST_MinX(g)), min(ST_MinY(g)), max(ST_MaxX(g)), max(ST_MaxY(g)) FROM (SELECT {Quote(info.GeometryColumn)} AS g FROM {Quote(info.Table)})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0)) return null;
        var envelope = new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
        return info.Transform is null ? envelope : info.Transform.ToCrs84(envelope);
    }

    public async Task<TimeInterval?> GetTemporalExtentAsync(CancellationToken cancellationToken)
    {
        if (Schema.TemporalProperty is not { } name) return null;
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Compare through julianday so that mixed forms ('Z' or not) order correctly.
        var column = Quote(name);
        command.CommandText = $"SELECT {column} FROM {Quote(info.Table)} WHERE {column} IS NOT NULL ORDER BY julianday({column}) LIMIT 1; "
            + $"SELECT {column} FROM {Quote(info.Table)} WHERE {column} IS NOT NULL ORDER BY julianday({column}) DESC LIMIT 1;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var first = await ReadTimeAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var last = await ReadTimeAsync(reader, cancellationToken);
        return first is null && last is null ? null : new TimeInterval(first, last);
    }

    private static async Task<DateTimeOffset?> ReadTimeAsync(SqliteDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct) && SqliteValues.TryParseTimestamp(reader.GetString(0), out var value) ? value : null;

    public async Task<long> CountAsync(FeatureQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        return await CountAsync(command, query, cancellationToken);
    }

    private async Task<long> CountAsync(SqliteCommand command, FeatureQuery query, CancellationToken cancellationToken)
    {
        GeoPackageQuery.Prepare(info, command, query, paged: false);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>
    /// Reads a page. When its matches are to be counted apart from it, page and count share a read transaction: SQLite
    /// reads one snapshot of the file from a transaction's first read to its end (WAL), or keeps writers from committing
    /// until then (rollback journal), so a load swapping a new table in meanwhile cannot make the two disagree.
    /// </summary>
    public Task<IFeatureReader> QueryAsync(FeatureQuery query, CancellationToken cancellationToken) =>
        OpenReaderAsync(command => GeoPackageQuery.Prepare(info, command, query, paged: true), query.OutputCrs, cancellationToken,
            query.CountsWithPage, query.CountMatches && !query.CountsWithPage ? query.WithoutPaging() : null);

    public Task<IFeatureReader> GetAsync(string featureId, Crs crs, CancellationToken cancellationToken) =>
        OpenReaderAsync(command =>
        {
            command.CommandText = info.SelectOne;
            command.Parameters.AddWithValue("$id", GeoPackageLayerInfo.IdValue(featureId));
        }, crs, cancellationToken);

    /// <summary>
    /// Reads a copy of the file taken with SQLite's online backup API (<see cref="GeoPackageSnapshot"/>): the file
    /// keeps the rollback journal (a single file that QGIS can open), where a long read of the file itself would make a
    /// writer wait for it and, waiting, hold back every new reader too. The copy holds both back only while pages are copied.
    /// </summary>
    public async Task<IFeatureReader> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = await GeoPackageSnapshot.TakeAsync(store, cancellationToken);
        try
        {
            var connection = snapshot.Open();
            var command = connection.CreateCommand();
            command.CommandText = $"SELECT {info.SelectList} FROM {info.From} ORDER BY {GeoPackageLayerInfo.Column(info.IdColumn)}";
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            return snapshot.Owning(new GeoPackageFeatureReader(info, CrsRegistry.Crs84, connection, command, reader, stored: true));
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }

    public Task<string> InsertAsync(FeatureRecord feature, WriteHooks hooks, CancellationToken cancellationToken) =>
        _writer.InsertAsync(feature, hooks, cancellationToken);

    public Task<WriteOutcome> UpdateAsync(string featureId, FeaturePatch patch, WriteHooks hooks, CancellationToken cancellationToken) =>
        _writer.UpdateAsync(featureId, patch, hooks, cancellationToken);

    public Task<WriteOutcome> DeleteAsync(string featureId, WriteHooks hooks, CancellationToken cancellationToken) =>
        _writer.DeleteAsync(featureId, hooks, cancellationToken);

    public Task<byte[]> GetTileAsync(TileRequest request, CancellationToken cancellationToken) =>
        GeoPackageTiles.GetTileAsync(store, info, request, cancellationToken);

    /// <summary>Opens a reader on a connection of its own; with <paramref name="countLater"/>, in a read transaction that its count shares.</summary>
    private async Task<IFeatureReader> OpenReaderAsync(Action<SqliteCommand> prepare, Crs crs, CancellationToken cancellationToken,
        bool counted = false, FeatureQuery? countLater = null)
    {
        var connection = await store.OpenAsync(cancellationToken);
        SqliteTransaction? transaction = null;
        SqliteCommand? command = null;
        try
        {
            transaction = countLater is null ? null : connection.BeginTransaction(deferred: true);
            command = connection.CreateCommand();
            command.Transaction = transaction;
            prepare(command);
            var reader = await command.ExecuteReaderAsync(cancellationToken);
            Func<CancellationToken, Task<long>>? count = countLater is null ? null : async ct =>
            {
                await using var counting = connection.CreateCommand();
                counting.Transaction = transaction;
                return await CountAsync(counting, countLater, ct);
            };
            return new GeoPackageFeatureReader(info, crs, connection, command, reader, counted, count, transaction);
        }
        catch
        {
            if (command is not null) await command.DisposeAsync();
            if (transaction is not null) await transaction.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
    }
}
