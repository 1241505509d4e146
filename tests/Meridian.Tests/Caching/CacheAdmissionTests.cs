using Meridian.Tests.Composition;
using static Meridian.Tests.Caching.CachedPlaces;

namespace Meridian.Tests.Caching;

/// <summary>With the default admission a representation is stored the second time it is asked for, not the first.</summary>
public sealed class CacheAdmissionTests : IAsyncLifetime
{
    private PostGisTestDatabase _database = null!;
    private MeridianServer _server = null!;

    public async Task InitializeAsync()
    {
        _database = await CreateAsync(count: 20);
        var settings = Settings(_database);
        settings.Remove("Meridian:Cache:StoreOnFirstRequest");
        _server = await MeridianServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task APage_IsStoredOnItsSecondRequest()
    {
        var statuses = new List<string?>();
        for (var i = 0; i < 3; i++) statuses.Add((await PageAsync(_server.Client)).Status);

        Assert.Equal(["miss", "miss", "hit"], statuses);
    }

    [Fact]
    public async Task ATile_IsStoredOnItsSecondRequest()
    {
        var statuses = new List<string?>();
        for (var i = 0; i < 3; i++) statuses.Add((await TileAsync(_server.Client)).Status);

        Assert.Equal(["miss", "miss", "hit"], statuses);
    }
}
