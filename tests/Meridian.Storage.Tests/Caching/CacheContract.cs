using Meridian.Storage.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Storage.Tests.Caching;

/// <summary>
/// The cache port and the collection versions, run unchanged against both adapters. Each test gets two
/// handles, as two processes would have: for the in-memory adapter they are the same process.
/// </summary>
public abstract class CacheContract : IAsyncLifetime
{
    /// <summary>Small, so that the size limit is cheap to cross.</summary>
    protected const int MaxEntryBytes = 4096;

    private readonly List<ServiceProvider> _providers = [];

    protected (IRepresentationCache Cache, ICollectionVersions Versions) First { get; private set; }

    protected (IRepresentationCache Cache, ICollectionVersions Versions) Second { get; private set; }

    /// <summary>The services of one process: the adapter's registrations then the HybridCache over them.</summary>
    protected abstract void AddAdapter(IServiceCollection services);

    /// <summary>Whether two handles are two processes (separate L1s) or one.</summary>
    protected abstract bool Distributed { get; }

    public virtual Task InitializeAsync()
    {
        First = Handles();
        Second = Distributed ? Handles() : First;
        return Task.CompletedTask;
    }

    private (IRepresentationCache, ICollectionVersions) Handles()
    {
        var services = new ServiceCollection().AddLogging();
        AddAdapter(services);
        HybridRepresentationCache.Register(services, MaxEntryBytes, 1 << 20);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return (provider.GetRequiredService<IRepresentationCache>(), provider.GetRequiredService<ICollectionVersions>());
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var provider in _providers) await provider.DisposeAsync();
    }

    /// <summary>Keys and collection ids unique to one test, so that tests sharing a Redis never meet.</summary>
    protected static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Get_UnknownKey_IsNull()
    {
        Assert.Null(await First.Cache.GetAsync(Unique("key"), default));
    }

    [Fact]
    public async Task Set_ThenGetThroughEitherHandle_ReturnsTheBytes()
    {
        var key = Unique("key");
        byte[] value = [1, 2, 3, 0, 255];

        await First.Cache.SetAsync(key, value, TimeSpan.FromMinutes(1), default);

        Assert.Equal(value, await First.Cache.GetAsync(key, default));
        Assert.Equal(value, await Second.Cache.GetAsync(key, default));
    }

    [Fact]
    public async Task Set_EmptyValue_IsStoredAsEmpty()
    {
        var key = Unique("key");

        await First.Cache.SetAsync(key, [], TimeSpan.FromMinutes(1), default);

        var stored = await Second.Cache.GetAsync(key, default);
        Assert.NotNull(stored);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task Set_ValueOverTheSizeLimit_IsNotStored()
    {
        var key = Unique("key");

        await First.Cache.SetAsync(key, new byte[MaxEntryBytes + 1], TimeSpan.FromMinutes(1), default);

        Assert.Null(await First.Cache.GetAsync(key, default));
        Assert.Null(await Second.Cache.GetAsync(key, default));
    }

    [Fact]
    public async Task Version_WithoutChanges_StaysTheSameEverywhere()
    {
        var collection = Unique("collection");

        var first = await First.Versions.GetAsync(collection, default);

        Assert.Equal(first, await First.Versions.GetAsync(collection, default));
        Assert.Equal(first, await Second.Versions.GetAsync(collection, default));
    }

    [Fact]
    public async Task Bump_ChangesTheVersionSeenThroughEitherHandle_AndNoOtherCollection()
    {
        var changed = Unique("changed");
        var other = Unique("other");
        var before = await Second.Versions.GetAsync(changed, default);
        var otherBefore = await Second.Versions.GetAsync(other, default);

        await First.Versions.BumpAsync(changed, default);

        var after = await Second.Versions.GetAsync(changed, default);
        Assert.NotEqual(before, after);
        Assert.Equal(after, await First.Versions.GetAsync(changed, default));
        Assert.Equal(otherBefore, await Second.Versions.GetAsync(other, default));
    }

    [Fact]
    public async Task Bump_Twice_GivesAVersionDifferentFromBoth()
    {
        var collection = Unique("collection");
        var v0 = await First.Versions.GetAsync(collection, default);
        await First.Versions.BumpAsync(collection, default);
        var v1 = await First.Versions.GetAsync(collection, default);

        await Second.Versions.BumpAsync(collection, default);

        var v2 = await First.Versions.GetAsync(collection, default);
        Assert.Equal(3, new HashSet<long> { v0, v1, v2 }.Count);
    }
}
