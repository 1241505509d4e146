using System.Net;
using Meridian.Tests.Composition;
using static Meridian.Tests.Caching.CachedPlaces;

namespace Meridian.Tests.Caching;

/// <summary>
/// Two Meridian processes on one PostGIS database and one Redis (a private redis-server), as behind a load
/// balancer: they share cached tiles and pages, a change announced through either is seen through both at once,
/// and when Redis goes away requests carry on from the database, and the cache heals when it returns.
/// </summary>
public sealed class SharedCacheTests : IAsyncLifetime
{
    private PostGisTestDatabase _database = null!;
    private RedisServer _redis = null!;
    private MeridianServer _a = null!;
    private MeridianServer _b = null!;

    public async Task InitializeAsync()
    {
        _database = await CreateAsync(count: 50);
        // Persistent, so that what the processes cached before an outage is still there after it.
        _redis = await RedisServer.StartAsync(persistent: true);
        var settings = Settings(_database);
        settings["Meridian:Cache:Redis"] = _redis.Configuration;
        // On a loaded machine a 1 s command timeout turns a slow store into a skipped one, read here as a miss.
        settings["Meridian:Cache:RedisTimeoutMilliseconds"] = "5000";
        _a = await MeridianServer.StartAsync(settings);
        _b = await MeridianServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ATileCachedByOneProcess_IsAHitInTheOther()
    {
        Assert.Equal("miss", (await TileAsync(_a.Client)).Status);

        Assert.Equal("hit", (await TileAsync(_b.Client)).Status);
    }

    [Fact]
    public async Task AChangeAnnouncedInOneProcess_IsSeenInTheOtherAtOnce()
    {
        var (tile, _) = await TileAsync(_a.Client);
        var (page, _) = await PageAsync(_a.Client);
        Assert.Equal(("hit", "hit"), ((await TileAsync(_b.Client)).Status, (await PageAsync(_b.Client)).Status));

        await AddAsync(_database, 10_001);
        await BumpAsync(_a);

        Assert.Equal(tile + 1, (await TileAsync(_b.Client)).Count);
        Assert.Equal(page + 1, (await PageAsync(_b.Client)).Count);
        Assert.Equal((tile + 1, "hit"), await TileAsync(_a.Client));
    }

    [Fact]
    public async Task RedisGoingAway_RequestsCarryOnFromTheDatabase_AndTheCacheHealsWhenItReturns()
    {
        var (tile, _) = await TileAsync(_a.Client);
        Assert.Equal("hit", (await TileAsync(_b.Client)).Status);

        await _redis.StopAsync();
        // Mid-traffic: requests keep coming while the clients notice the loss; none of them fails.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(tile, (await TileAsync(_a.Client)).Count);
            Assert.Equal(tile, (await TileAsync(_b.Client)).Count);
        }
        await UntilAsync(async () => (await TileAsync(_b.Client)).Status == "bypass");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, "/collections/places/items/1")).StatusCode);

        // A change during the outage cannot be announced; it must still be visible once Redis is back.
        await AddAsync(_database, 10_002);
        await BumpAsync(_a);
        await _redis.RestartAsync();

        await UntilAsync(async () => (await TileAsync(_a.Client)).Status == "hit" && (await TileAsync(_b.Client)).Status == "hit");
        Assert.Equal(tile + 1, (await TileAsync(_a.Client)).Count);
        Assert.Equal(tile + 1, (await TileAsync(_b.Client)).Count);
    }

    [Fact]
    public async Task ALoadByMeridianIngest_IsSeenAtOnce()
    {
        string[] ingest = ["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", "rivers",
            "--postgres", _database.ConnectionString, "--set", $"Cache:Redis={_redis.Configuration}"];
        const string tile = "/collections/rivers/tiles/WebMercatorQuad/0/0/0";
        Assert.Equal(0, (await Cli.MeridianProcess.RunAsync(ingest)).ExitCode);
        // A new collection is served uncached until the processes list the catalog again (within a second).
        await UntilAsync(async () =>
        {
            using var response = await GetAsync(_b.Client, tile);
            return Status(response) == "hit";
        });
        var before = await RiversAsync(_a.Client);

        Assert.Equal(0, (await Cli.MeridianProcess.RunAsync([.. ingest, "--mode", "append"])).ExitCode);

        Assert.Equal(2 * before, await RiversAsync(_b.Client));
        Assert.Equal(2 * before, await RiversAsync(_a.Client));

        async Task<int> RiversAsync(HttpClient client)
        {
            using var response = await GetAsync(client, tile);
            return Testing.Mvt.Decode(await response.Content.ReadAsByteArrayAsync())["rivers"].Count;
        }
    }

    /// <summary>Repeats until the condition holds; the deadline only stops a hung test.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition()) await Task.Delay(50, deadline.Token);
    }
}
