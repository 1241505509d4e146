using System.Collections.Concurrent;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Collection extents for a short while: ST_Extent reads every row, and collection documents ask for it on
/// each request. Loads invalidate their collection.
/// </summary>
internal sealed class ExtentCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (Envelope? Extent, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public async Task<Envelope?> GetAsync(string collectionId, Func<CancellationToken, Task<Envelope?>> compute, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(collectionId, out var entry) && entry.Expires > time.GetUtcNow())
            return Copy(entry.Extent);
        // An extent computed while a load committed may predate it; only keep it when nothing was invalidated.
        var generation = Interlocked.Read(ref _generation);
        var extent = await compute(cancellationToken);
        if (Interlocked.Read(ref _generation) == generation)
            _entries[collectionId] = (extent, time.GetUtcNow() + Lifetime);
        return Copy(extent);
    }

    public void Invalidate(string collectionId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(collectionId, out _);
    }

    // Envelopes are mutable; callers get their own.
    private static Envelope? Copy(Envelope? extent) => extent is null ? null : new Envelope(extent);
}
