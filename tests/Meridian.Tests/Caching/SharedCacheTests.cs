using System.Net;
using System.Text.Json.Nodes;
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
    public async Task ATableReplacedThroughOneProcess_IsReadWithItsNewColumnsInTheOther()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, Page)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, $"/collections/{Collection}/queryables")).StatusCode);

        // As an ingest in replace mode does it: a new table with other columns takes the old one's name.
        await ReplaceAsync(_database, "kind text NOT NULL", "'new'");
        await BumpAsync(_a);

        using var page = await GetAsync(_b.Client, Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var feature = JsonNode.Parse(await page.Content.ReadAsStringAsync())!["features"]![0]!;
        Assert.Equal("new", (string?)feature["properties"]!["kind"]);
        using var queryables = await GetAsync(_b.Client, $"/collections/{Collection}/queryables");
        Assert.NotNull(JsonNode.Parse(await queryables.Content.ReadAsStringAsync())!["properties"]!["kind"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, Tile)).StatusCode);
    }

    [Fact]
    public async Task ATableReplacedBeforeItsChangeIsAnnounced_IsA503ToRetry_NotA500()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, Page)).StatusCode);

        // Between a replacement's commit and its writer's bump, what a process knows of the table is out of date.
        await _database.ExecuteAsync("""
            BEGIN;
            CREATE TABLE public.places_staging (id integer PRIMARY KEY, label text, geom geometry(Point, 4326) NOT NULL);
            DROP TABLE public.places;
            ALTER TABLE public.places_staging RENAME TO places;
            COMMIT;
            """);

        // Representations not cached before the change, which has not been announced.
        foreach (var url in new[] { $"/collections/{Collection}/items?limit=7", $"/collections/{Collection}/tiles/WebMercatorQuad/1/0/0",
                     $"/collections/{Collection}/items/1" })
        {
            using var response = await GetAsync(_b.Client, url);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task ACollectionDeletedThroughOneProcess_IsGoneInTheOther()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, Page)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, Tile)).StatusCode);

        await _database.ExecuteAsync("DROP TABLE public.places");
        await BumpAsync(_a);

        using (var page = await GetAsync(_b.Client, Page)) Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using (var tile = await GetAsync(_b.Client, Tile)) Assert.Equal(HttpStatusCode.NotFound, tile.StatusCode);
    }

    [Fact]
    public async Task ACollectionDeletedAndCreatedAgainThroughOneProcess_IsTheNewOneInTheOther()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_b.Client, Page)).StatusCode);

        await _database.ExecuteAsync("""
            DROP TABLE public.places;
            CREATE TABLE public.places (id integer PRIMARY KEY, label text, geom geometry(Point, 4326) NOT NULL);
            INSERT INTO public.places VALUES (1, 'again', ST_SetSRID(ST_MakePoint(1, 1), 4326));
            """);
        await BumpAsync(_a);

        using var page = await GetAsync(_b.Client, Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var features = JsonNode.Parse(await page.Content.ReadAsStringAsync())!["features"]!.AsArray();
        Assert.Equal("again", (string?)Assert.Single(features)!["properties"]!["label"]);
    }

    [Fact]
    public async Task AChangeAnnouncedInOneProcess_ShowsInTheExtentOfTheOtherAtOnce()
    {
        Assert.True(await SouthOfExtentAsync(_b.Client) > -89);

        await _database.ExecuteAsync("INSERT INTO places VALUES (20001, 'south', ST_SetSRID(ST_MakePoint(0, -89.5), 4326))");
        await BumpAsync(_a);

        Assert.Equal(-89.5, await SouthOfExtentAsync(_b.Client));

        static async Task<double> SouthOfExtentAsync(HttpClient client)
        {
            using var response = await GetAsync(client, $"/collections/{Collection}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (double)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["extent"]!["spatial"]!["bbox"]![0]![1]!;
        }
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
