using Meridian.Gateway.Releases;
using StackExchange.Redis;

namespace Meridian.Gateway.Tests.Releases;

/// <summary>What every release store must do, so that replicas never both take the same step.</summary>
public abstract class ReleaseStoreContract
{
    internal abstract IReleaseStore Store { get; }

    // A fresh route per test: a shared Redis may hold an earlier run's states.
    private readonly string _route = "contract-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task NothingStored_IsNull_AndTheFirstSetWins()
    {
        Assert.Null(await Store.GetAsync(_route));

        Assert.True(await Store.CompareAndSetAsync(_route, null, "a"));
        Assert.False(await Store.CompareAndSetAsync(_route, null, "b"));
        Assert.Equal("a", await Store.GetAsync(_route));
    }

    [Fact]
    public async Task SetFromAStaleValue_IsRefused()
    {
        await Store.CompareAndSetAsync(_route, null, "step-0");

        Assert.True(await Store.CompareAndSetAsync(_route, "step-0", "step-1"));
        Assert.False(await Store.CompareAndSetAsync(_route, "step-0", "step-1-again"));
        Assert.Equal("step-1", await Store.GetAsync(_route));
    }

    [Fact]
    public void AnUnreadableState_StartsTheReleaseOver()
    {
        Assert.Null(ReleaseState.Deserialize("{not json"));
    }
}

public sealed class MemoryReleaseStoreContractTests : ReleaseStoreContract
{
    internal override IReleaseStore Store { get; } = new MemoryReleaseStore();
}

public sealed class RedisReleaseStoreContractTests(RedisFixture redis) : ReleaseStoreContract, IClassFixture<RedisFixture>, IDisposable
{
    private readonly ConnectionMultiplexer _connection = ConnectionMultiplexer.Connect(redis.ConnectionString);

    internal override IReleaseStore Store => new RedisReleaseStore(_connection);

    public void Dispose() => _connection.Dispose();
}
