using Meridian.Hosting.Configuration;
using StackExchange.Redis;

namespace Meridian.Gateway.RateLimiting;

/// <summary>
/// The distributed adapter: each counter is one Redis key, changed atomically by a Lua script on the server's
/// clock, so every gateway replica sees and spends the same budget. While Redis is away each replica counts in its own
/// memory instead: a client spread over N replicas gets up to N times its limit, but is still limited, and no request
/// fails or waits because a counter store is down (failing every request would turn a Redis outage into an outage of
/// the whole API; letting every request through would lift the limits when they may be needed most).
/// </summary>
internal sealed class RedisRateLimitCounters(IConnectionMultiplexer redis) : IRateLimitCounters
{
    private readonly MemoryRateLimitCounters _whileAway = new(TimeProvider.System);

    // KEYS[1] counter; ARGV[1] limit; ARGV[2] window in ms. Returns {allowed, remaining, reset ms, retry ms}.
    private static readonly LuaScript FixedWindow = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        if count == 1 then redis.call('PEXPIRE', @key, @window) end
        local ttl = redis.call('PTTL', @key)
        if ttl < 0 then redis.call('PEXPIRE', @key, @window); ttl = tonumber(@window) end
        local limit = tonumber(@limit)
        if count <= limit then return {1, limit - count, ttl, 0} end
        return {0, 0, ttl, ttl}
        """);

    // The same sums as TokenBucket.Take; the bucket's state is a hash of tokens and the time of the last take.
    private static readonly LuaScript Bucket = LuaScript.Prepare("""
        local limit = tonumber(@limit)
        local window = tonumber(@window)
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', @key, 'tokens', 'ts')
        local tokens = tonumber(state[1]) or limit
        local ts = tonumber(state[2]) or now
        local rate = limit / window
        tokens = math.min(limit, tokens + math.max(0, now - ts) * rate)
        local allowed = 0
        if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
        redis.call('HSET', @key, 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', @key, window)
        local retry = 0
        if allowed == 0 then retry = math.ceil((1 - tokens) / rate) end
        return {allowed, math.floor(tokens), math.ceil((limit - tokens) / rate), retry}
        """);

    public async ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) return await _whileAway.AcquireAsync(key, rule, cancellationToken);
        var script = rule.Algorithm == RateLimitAlgorithm.TokenBucket ? Bucket : FixedWindow;
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(script,
                new { key = (RedisKey)key, limit = rule.Limit, window = (long)rule.Window.TotalMilliseconds }))!;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Lost between the check above and the answer, or connected but not answering within the command timeout.
            return await _whileAway.AcquireAsync(key, rule, cancellationToken);
        }
        return new RateLimitDecision((long)result[0] == 1, (long)result[1], TimeSpan.FromMilliseconds((long)result[2]),
            TimeSpan.FromMilliseconds((long)result[3]));
    }
}
