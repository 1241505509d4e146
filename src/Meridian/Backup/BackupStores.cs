using Amazon.Runtime;
using Meridian.Composition;
using Meridian.Gateway.Auth;
using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.Objects;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Meridian.Backup;

/// <summary>The stores a backup reads and a restore writes, opened from the same settings as <c>serve</c>'s.</summary>
internal sealed class BackupStores(IReadOnlyList<IWritableFeatureStore> features, SqlApiKeyStore keys, IObjectStore objects, ILoggerFactory logging)
    : IAsyncDisposable
{
    public IReadOnlyList<IWritableFeatureStore> Features => features;

    public SqlApiKeyStore Keys => keys;

    public IObjectStore Objects => objects;

    /// <summary>Warnings of the stores (and of Redis, when a restore tells serving processes what it loaded) go to the console.</summary>
    public ILoggerFactory Logging => logging;

    public static BackupStores Open(MeridianOptions options)
    {
        var logging = LoggerFactory.Create(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        return new BackupStores(FeatureStores.Owned(options, logging), ApiKeyStores.CreateSql(options), ObjectStores.Create(options), logging);
    }

    /// <summary>The failures of stores and files a backup or restore reports as a message rather than a crash.</summary>
    public static bool IsFailure(Exception e) => e is IOException or UnauthorizedAccessException or NpgsqlException or SqliteException
        or AmazonServiceException or ObjectNotFoundException or CollectionChangedException or NotSupportedException or InvalidOperationException
        or ArgumentException or InvalidDataException;

    public async ValueTask DisposeAsync()
    {
        foreach (var store in features.OfType<IAsyncDisposable>()) await store.DisposeAsync();
        (objects as IDisposable)?.Dispose();
        logging.Dispose();
    }
}
