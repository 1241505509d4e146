using Microsoft.Extensions.Logging;
using Meridian.Storage.Caching;
using StackExchange.Redis;

namespace Meridian.Storage.Redis;

/// <summary>
/// Collection versions shared by every process on one Redis, so a write through any of them makes the cached
/// pages and tiles of every other process unreachable at once.
/// </summary>
/// <remarks>
/// <para>Every read asks Redis (one round trip, no local memo): a memo refreshed by pub/sub would let another
/// process answer from its cache in the moment between a write's commit and the arrival of the message, and
/// then a client could read its own write through one process and not through the next.</para>
/// <para>Values are random, not counters: Redis may lose keys (a restart without persistence, eviction under
/// <c>allkeys-lru</c>), and a counter starting again from zero would meet versions that caches still hold. A
/// missing key gets a fresh random value atomically (one script), which only costs misses.</para>
/// <para>Every key is combined with a process-wide <em>epoch</em>. A bump that could not be recorded (Redis
/// unreachable) cannot be replayed reliably, so a process that lost its connection or a command renews the
/// epoch before it trusts a version again: every entry cached before is unreachable, in every process.</para>
/// </remarks>
public sealed partial class RedisCollectionVersions(RedisConnection connection, ILogger<RedisCollectionVersions> logger) : ICollectionVersions
{
    private const string Prefix = "meridian:";
    private readonly Lock _order = new();
    private static readonly RedisKey EpochKey = Prefix + "epoch";

    /// <summary>Renews the epoch if asked, then reads it and the version, setting missing ones to the fresh values given.</summary>
    private static readonly LuaScript ReadOrCreate = LuaScript.Prepare("""
        if @renew == '1' then redis.call('SET', @epochKey, @freshEpoch) end
        local epoch = redis.call('GET', @epochKey)
        if not epoch then epoch = @freshEpoch; redis.call('SET', @epochKey, epoch) end
        local version = redis.call('GET', @versionKey)
        if not version then version = @freshVersion; redis.call('SET', @versionKey, version) end
        return { epoch, version }
        """);

    public async ValueTask<long> GetAsync(string collectionId, CancellationToken cancellationToken)
    {
        if (!connection.IsConnected) throw Unavailable(null);
        try
        {
            var database = connection.Multiplexer.GetDatabase();
            Task<RedisResult> read;
            bool renew;
            // Commands go out in the order they are issued: under the lock, no read can overtake the renewal.
            lock (_order)
            {
                renew = connection.TakeInterruption();
                read = database.ScriptEvaluateAsync(ReadOrCreate, new
                {
                    renew = renew ? 1 : 0,
                    epochKey = EpochKey,
                    freshEpoch = Fresh(),
                    versionKey = VersionKey(collectionId),
                    freshVersion = Fresh(),
                });
            }
            var values = (RedisValue[])(await read)!;
            if (renew) LogEpochRenewed();
            return Combine((long)values[0], (long)values[1]);
        }
        catch (Exception e) when (RedisOutage.Is(e, cancellationToken))
        {
            connection.MarkInterrupted();
            throw Unavailable(e);
        }
    }

    public async ValueTask BumpAsync(string collectionId, CancellationToken cancellationToken)
    {
        try
        {
            if (!connection.IsConnected) throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected");
            await connection.Multiplexer.GetDatabase().StringSetAsync(VersionKey(collectionId), Fresh());
        }
        catch (Exception e) when (RedisOutage.Is(e, cancellationToken))
        {
            // The write has committed: failing its request now would only hide that. The epoch is renewed as soon
            // as Redis answers again, which invalidates this collection along with every other.
            connection.MarkInterrupted();
            LogBumpLost(collectionId, e.Message);
        }
    }

    private static RedisKey VersionKey(string collectionId) => Prefix + "version:" + collectionId;

    private static long Fresh() => Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>One number for the pair; the same in every process (no per-process hash seed).</summary>
    private static long Combine(long epoch, long version) => unchecked((epoch * -7046029254386353131L) ^ version);

    private static VersionsUnavailableException Unavailable(Exception? inner) =>
        new("Collection versions are unavailable: Redis cannot be reached.", inner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection was interrupted: renewed the cache epoch, so entries cached before are unreachable")]
    private partial void LogEpochRenewed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a change of collection {Collection} in Redis ({Error}); every cached entry is invalidated when Redis answers again")]
    private partial void LogBumpLost(string collection, string error);
}
