using System.Buffers;
using System.ComponentModel;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Meridian.Storage.Caching;

/// <summary>
/// The cache port over HybridCache: an in-process L1 always, and as L2 whatever <c>IDistributedCache</c> is
/// registered (Redis, see Meridian.Storage.Redis), none in the embedded default.
/// </summary>
public sealed class HybridRepresentationCache(HybridCache cache, IOptions<HybridCacheOptions> options) : IRepresentationCache
{
    /// <summary>HybridCache applies its payload limit to what it serializes, not to a byte array set directly.</summary>
    private readonly long _maxEntryBytes = options.Value.MaximumPayloadBytes;

    /// <summary>A lookup that never produces a value: a miss is a null, computed by the caller outside the cache.</summary>
    private static readonly HybridCacheEntryOptions LookupOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        (await cache.GetOrCreateAsync<Entry?>(key, static _ => ValueTask.FromResult<Entry?>(null), LookupOnly, cancellationToken: cancellationToken))?.Bytes;

    public ValueTask SetAsync(string key, byte[] value, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        value.Length > _maxEntryBytes ? ValueTask.CompletedTask : cache.SetAsync(key, new Entry(value),
            new HybridCacheEntryOptions { Expiration = timeToLive, LocalCacheExpiration = timeToLive }, cancellationToken: cancellationToken);

    /// <summary>
    /// The cached bytes, marked immutable so that HybridCache hands every L1 hit the same instance: as a plain
    /// byte array (mutable) each hit would be a fresh copy, and dense tiles are large enough for that copy to
    /// land on the large-object heap on every request. Nobody writes to the bytes once cached.
    /// </summary>
    [ImmutableObject(true)]
    private sealed class Entry(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;
    }

    /// <summary>The L2 (Redis) form of an entry is just its bytes.</summary>
    private sealed class EntrySerializer : IHybridCacheSerializer<Entry>
    {
        public Entry Deserialize(ReadOnlySequence<byte> source) => new(source.ToArray());

        public void Serialize(Entry value, IBufferWriter<byte> target) => target.Write(value.Bytes);
    }

    /// <summary>
    /// Registers HybridCache and this port. <paramref name="maxEntryBytes"/> bounds one entry,
    /// <paramref name="memoryBytes"/> the whole in-process L1 (least recently used entries go first).
    /// </summary>
    public static IServiceCollection Register(IServiceCollection services, int maxEntryBytes, long memoryBytes)
    {
        services.AddMemoryCache(o => o.SizeLimit = memoryBytes);
        services.AddHybridCache(o =>
        {
            o.MaximumPayloadBytes = maxEntryBytes;
            // Keys are hashes (see the HTTP cache), far below this; a longer key would silently not be cached.
            o.MaximumKeyLength = 1024;
        }).AddSerializer<Entry, EntrySerializer>();
        services.AddSingleton<IRepresentationCache, HybridRepresentationCache>();
        return services;
    }
}
