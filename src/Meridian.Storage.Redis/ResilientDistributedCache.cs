using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Meridian.Storage.Redis;

/// <summary>
/// Redis as HybridCache's L2, where an unreachable Redis is a miss and a store that did not happen: requests
/// carry on from the feature stores, and nothing waits for a server that is not there.
/// </summary>
public sealed partial class ResilientDistributedCache : IDistributedCache
{
    private readonly RedisConnection _connection;
    private readonly RedisCache _redis;
    private readonly ILogger<ResilientDistributedCache> _logger;

    public ResilientDistributedCache(RedisConnection connection, ILogger<ResilientDistributedCache> logger)
    {
        _connection = connection;
        _logger = logger;
        _redis = new RedisCache(Options.Create(new RedisCacheOptions
        {
            ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connection.Multiplexer),
            InstanceName = "meridian:cache:",
        }));
    }

    public byte[]? Get(string key) => Guard(() => _redis.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(() => _redis.GetAsync(key, token), token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() =>
    {
        _redis.Set(key, value, options);
        return (byte[]?)null;
    });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () =>
        {
            await _redis.SetAsync(key, value, options, token);
            return (byte[]?)null;
        }, token);

    public void Refresh(string key) => Guard(() =>
    {
        _redis.Refresh(key);
        return (byte[]?)null;
    });

    public Task RefreshAsync(string key, CancellationToken token = default) => GuardAsync(async () =>
    {
        await _redis.RefreshAsync(key, token);
        return (byte[]?)null;
    }, token);

    public void Remove(string key) => Guard(() =>
    {
        _redis.Remove(key);
        return (byte[]?)null;
    });

    public Task RemoveAsync(string key, CancellationToken token = default) => GuardAsync(async () =>
    {
        await _redis.RemoveAsync(key, token);
        return (byte[]?)null;
    }, token);

    private byte[]? Guard(Func<byte[]?> operation)
    {
        if (!_connection.IsConnected) return null;
        try
        {
            return operation();
        }
        catch (Exception e) when (RedisOutage.Is(e, CancellationToken.None))
        {
            Failed(e);
            return null;
        }
    }

    private async Task<byte[]?> GuardAsync(Func<Task<byte[]?>> operation, CancellationToken token)
    {
        if (!_connection.IsConnected) return null;
        try
        {
            return await operation();
        }
        catch (Exception e) when (RedisOutage.Is(e, token))
        {
            Failed(e);
            return null;
        }
    }

    private void Failed(Exception e)
    {
        _connection.MarkInterrupted();
        LogFailed(e.Message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis cache operation failed ({Error}): treated as a miss")]
    private partial void LogFailed(string error);
}
