using Meridian.Storage.Caching;
using Meridian.Storage.Redis;
using Meridian.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Tests.Redis;

/// <summary>
/// The Redis adapter when its server goes away and comes back (a private redis-server, killed and restarted):
/// nothing throws but the versions, which say they cannot be confirmed, and afterwards nothing cached before
/// the outage is reachable, since a change made meanwhile could not be recorded.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ServiceProvider _services = null!;

    private IRepresentationCache Cache => _services.GetRequiredService<IRepresentationCache>();

    private ICollectionVersions Versions => _services.GetRequiredService<ICollectionVersions>();

    private RedisConnection Connection => _services.GetRequiredService<RedisConnection>();

    public async Task InitializeAsync()
    {
        // Persistent: keys survive the restart, so only the epoch can make the old versions unreachable.
        _redis = await RedisServer.StartAsync(persistent: true);
        _services = Services();
    }

    /// <summary>What one process on this Redis has; resolving the connection connects it.</summary>
    private ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRedisCaching(sp => new RedisConnection(_redis.Configuration, TimeSpan.FromSeconds(2), sp.GetRequiredService<ILogger<RedisConnection>>()));
        HybridRepresentationCache.Register(services, 1 << 20, 1 << 20);
        return services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Outage_VersionsAreUnavailable_CacheMissesAndBumpsDoNotThrow()
    {
        await Versions.GetAsync("places", default);

        await _redis.StopAsync();
        await WaitAsync(() => !Connection.IsConnected);

        await Assert.ThrowsAsync<VersionsUnavailableException>(async () => await Versions.GetAsync("places", default));
        await Versions.BumpAsync("places", default);
        await Cache.SetAsync("key", [1], TimeSpan.FromMinutes(1), default);
        Assert.Null(await Cache.GetAsync("never-set", default));
    }

    [Fact]
    public async Task Recovery_AfterAnOutage_EveryVersionIsNew()
    {
        var places = await Versions.GetAsync("places", default);
        var roads = await Versions.GetAsync("roads", default);

        await _redis.StopAsync();
        await WaitAsync(() => !Connection.IsConnected);
        await _redis.RestartAsync();
        await WaitAsync(() => Connection.IsConnected);

        Assert.NotEqual(places, await Versions.GetAsync("places", default));
        Assert.NotEqual(roads, await Versions.GetAsync("roads", default));
    }

    [Fact]
    public async Task Recovery_AfterAnOutage_TheCacheStoresAgain()
    {
        await _redis.StopAsync();
        await WaitAsync(() => !Connection.IsConnected);
        await _redis.RestartAsync();
        await WaitAsync(() => Connection.IsConnected);

        await Cache.SetAsync("key", [7], TimeSpan.FromMinutes(1), default);

        var stored = await ReadL2Async("key");
        Assert.Equal(new byte[] { 7 }, stored);
    }

    [Fact]
    public async Task AProcessStartedBeforeRedis_SharesTheVersionsOnceItConnects()
    {
        var places = await Versions.GetAsync("places", default);
        await _redis.StopAsync();
        await using var late = Services();
        var connection = late.GetRequiredService<RedisConnection>();
        await WaitAsync(() => !Connection.IsConnected);

        await _redis.RestartAsync();
        await WaitAsync(() => connection.IsConnected);

        // Its first connection was slow, not interrupted: it must not renew the epoch the other processes use.
        Assert.Equal(places, await late.GetRequiredService<ICollectionVersions>().GetAsync("places", default));
    }

    /// <summary>Reads through a second process's handle (its own L1, empty), so that the bytes must come from Redis.</summary>
    private async Task<byte[]?> ReadL2Async(string key)
    {
        await using var other = Services();
        return await other.GetRequiredService<IRepresentationCache>().GetAsync(key, default);
    }

    /// <summary>Waits for the client to notice a change of the server; the deadline only stops a hung test.</summary>
    private static async Task WaitAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(20, deadline.Token);
    }
}
