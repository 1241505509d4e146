namespace Meridian.Storage.Caching;

/// <summary>
/// The cache port: finished representations (tiles, item pages, features) as bytes under a key that names
/// everything they depend on, including the versions of their collections (<see cref="ICollectionVersions"/>),
/// so entries are never invalidated one by one: a new version makes the old entries unreachable and they age out.
/// Two adapters: in-process memory (embedded default) and Redis behind an in-process L1 (HybridCache).
/// A cache that cannot be reached is a miss, never an error: the caller falls back to the store.
/// </summary>
public interface IRepresentationCache
{
    /// <summary>
    /// The bytes stored under the key, or null when there are none (or the cache cannot be reached). Hits may share
    /// one array: callers read it, never write to it.
    /// </summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores the bytes for at most <paramref name="timeToLive"/>; values over the adapter's size limit are not stored.</summary>
    ValueTask SetAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken);
}
