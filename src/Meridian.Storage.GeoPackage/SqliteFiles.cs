using Microsoft.Data.Sqlite;

namespace Meridian.Storage.GeoPackage;

internal static class SqliteFiles
{
    /// <summary>Deletes a database file and its journal; pooled connections would otherwise keep it open.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
