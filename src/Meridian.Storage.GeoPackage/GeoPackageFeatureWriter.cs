using Meridian.Storage.Spatial;
using System.Globalization;
using Meridian.Storage.Writing;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// Single-feature writes to one layer, each in one SQLite transaction taken for writing at its start (BEGIN
/// IMMEDIATE), so the precondition, the change and the read-back see no other writer. The GeoPackage R-tree
/// triggers keep the spatial index; gpkg_contents records the change time and a bounding box grown to fit.
/// </summary>
internal sealed class GeoPackageFeatureWriter(GeoPackageStore store, GeoPackageLayerInfo info)
{
    public async Task<string> InsertAsync(FeatureRecord feature, WriteHooks hooks, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var values = Values(FeaturePatch.Replacing(info.Schema, feature));
        await using var insert = connection.CreateCommand();
        insert.CommandText = values.Count == 0
            ? $"INSERT INTO {Quote(info.Table)} DEFAULT VALUES RETURNING {Quote(info.IdColumn)}"
            : $"INSERT INTO {Quote(info.Table)} ({string.Join(", ", values.Select(v => Quote(v.Column)))}) "
              + $"VALUES ({string.Join(", ", values.Select((_, i) => "$v" + i))}) RETURNING {Quote(info.IdColumn)}";
        Bind(insert, values);
        var id = Convert.ToInt64(await ExecuteAsync(insert, ct), CultureInfo.InvariantCulture);
        await ObserveAsync(connection, id, hooks.Written, ct);
        await TouchContentsAsync(connection, values, ct);
        await transaction.CommitAsync(ct);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<WriteOutcome> UpdateAsync(string featureId, FeaturePatch patch, WriteHooks hooks, CancellationToken ct)
    {
        if (GeoPackageLayerInfo.IdValue(featureId) is not long id) return WriteOutcome.NotFound;
        await using var connection = await store.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var found = await CheckAsync(connection, id, hooks.Precondition, ct);
        if (found != WriteOutcome.Written) return found;
        var values = Values(patch);
        if (values.Count > 0)
        {
            await using var update = connection.CreateCommand();
            update.CommandText = $"UPDATE {Quote(info.Table)} SET {string.Join(", ", values.Select((v, i) => $"{Quote(v.Column)} = $v{i}"))} "
                + $"WHERE {Quote(info.IdColumn)} = $id";
            Bind(update, values);
            update.Parameters.AddWithValue("$id", id);
            await ExecuteAsync(update, ct);
        }
        await ObserveAsync(connection, id, hooks.Written, ct);
        await TouchContentsAsync(connection, values, ct);
        await transaction.CommitAsync(ct);
        return WriteOutcome.Written;
    }

    public async Task<WriteOutcome> DeleteAsync(string featureId, WriteHooks hooks, CancellationToken ct)
    {
        if (GeoPackageLayerInfo.IdValue(featureId) is not long id) return WriteOutcome.NotFound;
        await using var connection = await store.OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var found = await CheckAsync(connection, id, hooks.Precondition, ct);
        if (found != WriteOutcome.Written) return found;
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = $"DELETE FROM {Quote(info.Table)} WHERE {Quote(info.IdColumn)} = $id";
            delete.Parameters.AddWithValue("$id", id);
            await ExecuteAsync(delete, ct);
        }
        await TouchContentsAsync(connection, [], ct);
        await transaction.CommitAsync(ct);
        return WriteOutcome.Written;
    }

    private sealed record ColumnValue(string Column, object Value, Envelope? Envelope = null);

    /// <summary>The columns a patch sets, with their values as SQLite stores them (geometry as a GeoPackage blob in the layer's CRS).</summary>
    private List<ColumnValue> Values(FeaturePatch patch)
    {
        var values = new List<ColumnValue>();
        if (patch.SetsGeometry)
        {
            var stored = Stored(patch.Geometry);
            values.Add(new ColumnValue(info.GeometryColumn, stored is null ? DBNull.Value : GeoPackageBlob.Write(stored), stored?.EnvelopeInternal));
        }
        foreach (var (name, value) in patch.Properties)
        {
            var property = info.Schema.FindProperty(name) ?? throw new InvalidFeatureException($"'{info.Schema.Id}' has no property '{name}'.");
            try
            {
                values.Add(new ColumnValue(property.Name, SqliteValues.ToStorage(value, property.Type)));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidFeatureException($"property '{name}': {e.Message}", e);
            }
        }
        return values;
    }

    private Geometry? Stored(Geometry? geometry)
    {
        if (geometry is null || geometry.IsEmpty) return null;
        var srid = info.Schema.StorageSrid;
        var stored = info.Transform?.FromCrs84(geometry, srid) ?? geometry.Copy();
        stored.SRID = srid;
        return stored;
    }

    private static void Bind(SqliteCommand command, List<ColumnValue> values)
    {
        for (var i = 0; i < values.Count; i++) command.Parameters.AddWithValue("$v" + i, values[i].Value);
    }

    private static async Task<object?> ExecuteAsync(SqliteCommand command, CancellationToken ct)
    {
        try
        {
            return await command.ExecuteScalarAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: NOT NULL, UNIQUE, CHECK…
        {
            throw new StoreConflictException(e.Message, e);
        }
    }

    /// <summary>Whether the feature exists and the precondition (if any) accepts it.</summary>
    private async Task<WriteOutcome> CheckAsync(SqliteConnection connection, long id, Func<IFeatureReader, bool>? precondition, CancellationToken ct)
    {
        var outcome = WriteOutcome.NotFound;
        await ReadOneAsync(connection, id, reader => outcome = precondition is null || precondition(reader) ? WriteOutcome.Written : WriteOutcome.PreconditionFailed, ct);
        return outcome;
    }

    private Task ObserveAsync(SqliteConnection connection, long id, Action<IFeatureReader>? written, CancellationToken ct) =>
        written is null ? Task.CompletedTask : ReadOneAsync(connection, id, written, ct);

    private async Task ReadOneAsync(SqliteConnection connection, long id, Action<IFeatureReader> visit, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        command.CommandText = info.SelectOne;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = new GeoPackageFeatureReader(info, CrsRegistry.Crs84, null, command, await command.ExecuteReaderAsync(ct));
        if (await reader.ReadAsync(ct)) visit(reader);
    }

    /// <summary>Records the change in gpkg_contents: its time, and a bounding box grown to hold a new geometry.</summary>
    private async Task TouchContentsAsync(SqliteConnection connection, List<ColumnValue> values, CancellationToken ct)
    {
        var envelope = values.FirstOrDefault(v => v.Envelope is not null)?.Envelope;
        await using var command = connection.CreateCommand();
        command.CommandText = envelope is null
            ? "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = $table"
            : """
              UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                min_x = min(coalesce(min_x, $minx), $minx), min_y = min(coalesce(min_y, $miny), $miny),
                max_x = max(coalesce(max_x, $maxx), $maxx), max_y = max(coalesce(max_y, $maxy), $maxy)
              WHERE table_name = $table
              """;
        command.Parameters.AddWithValue("$table", info.Table);
        if (envelope is not null)
        {
            command.Parameters.AddWithValue("$minx", envelope.MinX);
            command.Parameters.AddWithValue("$miny", envelope.MinY);
            command.Parameters.AddWithValue("$maxx", envelope.MaxX);
            command.Parameters.AddWithValue("$maxy", envelope.MaxY);
        }
        await command.ExecuteNonQueryAsync(ct);
    }
}
