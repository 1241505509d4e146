using System.IO.Compression;
using System.Net;
using Meridian.Tests.Composition;
using static Meridian.Tests.Caching.CachedPlaces;

namespace Meridian.Tests.Caching;

/// <summary>
/// HTTP caching of one process on the embedded (in-memory) cache: ETags, 304s, Cache-Control per kind of
/// resource, negotiated compression, HEAD, errors and writes never cached, and no stale tile or page once a
/// change is announced through the collection versions.
/// </summary>
public sealed class HttpCachingTests : IAsyncLifetime
{
    private PostGisTestDatabase _database = null!;
    private MeridianServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _database = await CreateAsync(count: 300);
        var settings = Settings(_database);
        // Small enough that a page of 300 features streams, large enough for the tile and small pages.
        settings["Meridian:Cache:MaxEntryBytes"] = "16384";
        _server = await MeridianServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Tile_SecondRequest_IsAHitWithTheSameBytesAndETag()
    {
        using var first = await GetAsync(Client, Tile);
        using var second = await GetAsync(Client, Tile);

        Assert.Equal("miss", Status(first));
        Assert.Equal("hit", Status(second));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.NotNull(first.Headers.ETag);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("public, max-age=3600, stale-while-revalidate=86400", second.Headers.CacheControl!.ToString());
        Assert.Equal(["Accept", "Accept-Encoding"], second.Headers.Vary);
    }

    [Theory]
    [InlineData(Tile)]
    [InlineData("/collections/places/items/7")]
    [InlineData("/collections")]
    [InlineData("/collections/places/tiles/WebMercatorQuad?f=tilejson")]
    public async Task IfNoneMatch_WithTheCurrentETag_Is304WithoutABody(string url)
    {
        using var first = await GetAsync(Client, url);
        var etag = first.Headers.ETag!.Tag;

        using var again = await GetAsync(Client, url, ifNoneMatch: etag);
        using var other = await GetAsync(Client, url, ifNoneMatch: "\"something-else\"");

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag!.Tag);
        Assert.NotNull(again.Headers.CacheControl);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("/collections/places/items/7", "public, max-age=60, stale-while-revalidate=60")]
    [InlineData("/collections/places", "public, max-age=60, stale-while-revalidate=60")]
    [InlineData("/tileMatrixSets", "public, max-age=60, stale-while-revalidate=60")]
    public async Task CacheControl_FollowsTheKindOfResource(string url, string expected)
    {
        using var response = await GetAsync(Client, url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Head_AnswersLikeGetWithoutTheBody()
    {
        using var get = await GetAsync(Client, Tile);
        using var head = await GetAsync(Client, Tile, method: HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Compression_IsNegotiated_AndEachCodingHasItsOwnETag(string coding)
    {
        using var identity = await GetAsync(Client, Page);
        using var compressed = await GetAsync(Client, Page, acceptEncoding: coding);
        using var cached = await GetAsync(Client, Page, acceptEncoding: coding);

        Assert.Equal([coding], compressed.Content.Headers.ContentEncoding);
        Assert.Equal("hit", Status(cached));
        Assert.Equal([coding], cached.Content.Headers.ContentEncoding);
        Assert.NotEqual(identity.Headers.ETag, compressed.Headers.ETag);
        Assert.Equal(compressed.Headers.ETag, cached.Headers.ETag);
        var body = await cached.Content.ReadAsStreamAsync();
        Stream decoded = coding == "br" ? new BrotliStream(body, CompressionMode.Decompress) : new GZipStream(body, CompressionMode.Decompress);
        using var reader = new StreamReader(decoded);
        Assert.Contains("\"FeatureCollection\"", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task Compression_OfATile_UsesTheVectorTileMediaType()
    {
        using var response = await GetAsync(Client, Tile, acceptEncoding: "gzip");

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task AfterAChangeIsAnnounced_TileAndPageShowIt()
    {
        var (tileBefore, _) = await TileAsync(Client);
        var (pageBefore, _) = await PageAsync(Client);
        Assert.Equal("hit", (await TileAsync(Client)).Status);

        await AddAsync(_database, 10_001);
        // Unannounced, the change is invisible: this is what the versions are for.
        Assert.Equal(tileBefore, (await TileAsync(Client)).Count);
        await BumpAsync(_server);

        Assert.Equal((tileBefore + 1, "miss"), await TileAsync(Client));
        Assert.Equal(pageBefore + 1, (await PageAsync(Client)).Count);
    }

    [Fact]
    public async Task LargePage_StreamsWithoutETagOrCaching()
    {
        using var first = await GetAsync(Client, "/collections/places/items?limit=300");
        using var second = await GetAsync(Client, "/collections/places/items?limit=300");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(second.Headers.ETag);
        Assert.Equal("miss", Status(second));
        Assert.Equal("public, max-age=60, stale-while-revalidate=60", second.Headers.CacheControl!.ToString());
        Assert.Equal(300, System.Text.Json.Nodes.JsonNode.Parse(await second.Content.ReadAsStringAsync())!["features"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("/collections/places/tiles/WebMercatorQuad/0/0/x", HttpStatusCode.BadRequest)]
    [InlineData("/collections/nowhere/tiles/WebMercatorQuad/0/0/0", HttpStatusCode.NotFound)]
    [InlineData("/collections/places/items/999999", HttpStatusCode.NotFound)]
    [InlineData("/collections/places/items?limit=0", HttpStatusCode.BadRequest)]
    public async Task Errors_AreNeverCached(string url, HttpStatusCode status)
    {
        using var first = await GetAsync(Client, url);
        using var second = await GetAsync(Client, url);

        Assert.Equal(status, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType!.MediaType);
        Assert.True(second.Headers.CacheControl!.NoStore);
        Assert.Null(second.Headers.ETag);
        Assert.NotEqual("hit", Status(second));
    }

    [Fact]
    public async Task Writes_AreNoStore()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/collections/places/items") { Content = new StringContent("{}") };
        using var response = await Client.SendAsync(request);

        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task HostAndQuery_AreDistinctEntries_AndQueryOrderIsNot()
    {
        using var a = await GetAsync(Client, "/collections/places/items?limit=5&bbox=-180,-90,180,90");
        using var b = await GetAsync(Client, "/collections/places/items?bbox=-180,-90,180,90&limit=5");
        using var c = await GetAsync(Client, "/collections/places/items?limit=6&bbox=-180,-90,180,90");
        using var otherHost = await Client.GetAsync("/collections/places/items?limit=5&bbox=-180,-90,180,90");

        Assert.Equal(("miss", "hit", "miss", "miss"), (Status(a), Status(b), Status(c), Status(otherHost)));
        Assert.DoesNotContain("meridian.test", await otherHost.Content.ReadAsStringAsync());
    }
}
