using StackExchange.Redis;

namespace Meridian.Gateway.Releases;

/// <summary>
/// Release states in Redis, one key per route, changed by an atomic compare-and-set script; every change is
/// published so the other replicas pick it up at once instead of at their next poll.
/// </summary>
internal sealed class RedisReleaseStore(IConnectionMultiplexer redis) : IReleaseStore
{
    private const string Prefix = "meridian:release:";
    private static readonly RedisChannel Changes = RedisChannel.Literal("meridian:releases");

    // Empty expected means "nothing stored yet".
    private static readonly LuaScript CompareAndSet = LuaScript.Prepare("""
        local current = redis.call('GET', @key)
        if (current == false and @expected == '') or current == @expected then
          redis.call('SET', @key, @next)
          return 1
        end
        return 0
        """);

    public string Kind => "redis";

    public async Task<string?> GetAsync(string route) => await redis.GetDatabase().StringGetAsync(Prefix + route);

    public async Task<bool> CompareAndSetAsync(string route, string? expected, string next)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(CompareAndSet,
            new { key = (RedisKey)(Prefix + route), expected = expected ?? "", next });
        if ((int)result != 1) return false;
        await redis.GetSubscriber().PublishAsync(Changes, route);
        return true;
    }

    public void Subscribe(Action<string> changed) =>
        redis.GetSubscriber().Subscribe(Changes, (_, route) => changed(route.ToString()));
}
