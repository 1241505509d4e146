using Meridian.Gateway.RateLimiting;
using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Gateway.Tests.RateLimiting;

public sealed class MemoryRateLimitCountersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task FixedWindow_StartsAgainAfterTheWindow()
    {
        var counters = new MemoryRateLimitCounters(_time);
        var rule = new RateLimitRule { Name = "w", Limit = 2000, Window = TimeSpan.FromMinutes(5) };
        for (var i = 0; i < 2000; i++) await counters.AcquireAsync("k", rule, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(2));
        var refused = await counters.AcquireAsync("k", rule, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));
        var renewed = await counters.AcquireAsync("k", rule, CancellationToken.None);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromMinutes(3), refused.RetryAfter);
        Assert.True(renewed.Allowed);
        Assert.Equal(1999, renewed.Remaining);
    }

    [Fact]
    public async Task TokenBucket_RefillsEvenly()
    {
        var counters = new MemoryRateLimitCounters(_time);
        var rule = new RateLimitRule { Name = "b", Algorithm = RateLimitAlgorithm.TokenBucket, Limit = 10, Window = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 10; i++) Assert.True((await counters.AcquireAsync("k", rule, CancellationToken.None)).Allowed);

        var empty = await counters.AcquireAsync("k", rule, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));
        var refilled = new List<bool>();
        for (var i = 0; i < 4; i++) refilled.Add((await counters.AcquireAsync("k", rule, CancellationToken.None)).Allowed);

        Assert.False(empty.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), empty.RetryAfter);
        Assert.Equal([true, true, true, false], refilled);
    }
}
