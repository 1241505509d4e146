using System.Text.Json;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// A private copy of a GeoPackage file, taken in one step of SQLite's online backup API: a consistent image of the file
/// (the copy runs under one read lock), in the temporary directory (TMPDIR), deleted when disposed.
/// </summary>
internal sealed class GeoPackageSnapshot : IAsyncDisposable
{
    private static readonly TimeSpan BusyPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private SqliteConnection? _connection;

    private GeoPackageSnapshot(string path) => _path = path;

    public static async Task<GeoPackageSnapshot> TakeAsync(GeoPackageStore store, CancellationToken cancellationToken)
    {
        var snapshot = new GeoPackageSnapshot(Path.Combine(Path.GetTempPath(), $"meridian-snapshot-{Guid.NewGuid():N}.gpkg"));
        try
        {
            await using var source = await store.OpenAsync(cancellationToken);
            // The copy needs a read lock, which a writer committing holds back for a moment: wait as SQLite's busy timeout would.
            for (var waited = TimeSpan.Zero; ; waited += BusyPause)
            {
                try
                {
                    source.BackupDatabase(snapshot.Open());
                    return snapshot;
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && waited < BusyTimeout) // SQLITE_BUSY, SQLITE_LOCKED
                {
                    await Task.Delay(BusyPause, cancellationToken);
                }
            }
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }

    /// <summary>The snapshot's one connection, unpooled so that disposing it closes the file.</summary>
    public SqliteConnection Open()
    {
        if (_connection is null)
        {
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
            _connection.Open();
        }
        return _connection;
    }

    /// <summary>A reader of the snapshot that deletes it once disposed.</summary>
    public IFeatureReader Owning(IFeatureReader reader) => new Reader(reader, this);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        File.Delete(_path);
        File.Delete(_path + "-journal");
    }

    private sealed class Reader(IFeatureReader inner, GeoPackageSnapshot snapshot) : IFeatureReader
    {
        public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public string Id => inner.Id;

        public void WriteGeometry(Utf8JsonWriter writer) => inner.WriteGeometry(writer);

        public Geometry? ReadGeometry() => inner.ReadGeometry();

        public object? GetValue(int ordinal) => inner.GetValue(ordinal);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await snapshot.DisposeAsync();
        }
    }
}
