using Meridian.Gateway.RateLimiting;
using Meridian.Hosting.Configuration;
using StackExchange.Redis;

namespace Meridian.Gateway.Tests.RateLimiting;

/// <summary>What both counter adapters must do; the memory adapter's clock tests are in <see cref="MemoryRateLimitCountersTests"/>.</summary>
public abstract class RateLimitCountersContract
{
    internal abstract IRateLimitCounters Counters { get; }

    private static string Key() => "test:" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData(RateLimitAlgorithm.FixedWindow)]
    [InlineData(RateLimitAlgorithm.TokenBucket)]
    public async Task Limit_AllowsThatManyThenRefuses(RateLimitAlgorithm algorithm)
    {
        var rule = new RateLimitRule { Name = "r", Algorithm = algorithm, Limit = 3, Window = TimeSpan.FromHours(1) };
        var key = Key();

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++) decisions.Add(await Counters.AcquireAsync(key, rule, CancellationToken.None));

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal([2L, 1L, 0L, 0L], decisions.Select(d => d.Remaining));
        Assert.True(decisions[3].RetryAfter > TimeSpan.Zero);
        Assert.True(decisions[3].RetryAfter <= TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Keys_AreCountedApart()
    {
        var rule = new RateLimitRule { Name = "r", Limit = 1, Window = TimeSpan.FromHours(1) };

        Assert.True((await Counters.AcquireAsync(Key(), rule, CancellationToken.None)).Allowed);
        Assert.True((await Counters.AcquireAsync(Key(), rule, CancellationToken.None)).Allowed);
    }
}

public sealed class MemoryRateLimitCountersContractTests : RateLimitCountersContract
{
    internal override IRateLimitCounters Counters { get; } = new MemoryRateLimitCounters(TimeProvider.System);
}

public sealed class RedisRateLimitCountersContractTests(RedisFixture redis) : RateLimitCountersContract, IClassFixture<RedisFixture>, IDisposable
{
    private readonly ConnectionMultiplexer _connection = ConnectionMultiplexer.Connect(redis.ConnectionString);

    internal override IRateLimitCounters Counters => new RedisRateLimitCounters(_connection);

    public void Dispose() => _connection.Dispose();
}
