namespace Meridian.Gateway.RateLimiting;

/// <summary>
/// Token bucket arithmetic: Limit tokens at most, refilled at Limit per Window. The Redis adapter's Lua script
/// does the same sums on the server (see <see cref="RedisRateLimitCounters"/>).
/// </summary>
internal static class TokenBucket
{
    public static (RateLimitDecision Decision, double Tokens) Take(double tokens, double elapsedMs, int limit, double windowMs)
    {
        var rate = limit / windowMs;
        tokens = Math.Min(limit, tokens + Math.Max(0, elapsedMs) * rate);
        var allowed = tokens >= 1;
        if (allowed) tokens -= 1;
        var reset = TimeSpan.FromMilliseconds(Math.Ceiling((limit - tokens) / rate));
        var retry = allowed ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling((1 - tokens) / rate));
        return (new RateLimitDecision(allowed, (long)Math.Floor(tokens), reset, retry), tokens);
    }
}
