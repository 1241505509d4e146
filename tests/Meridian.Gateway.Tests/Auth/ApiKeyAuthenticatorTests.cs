using Meridian.Gateway.Auth;
using Meridian.Hosting.Configuration;
using Meridian.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>The remembered keys against a real SQLite key store: fast repeats, and the bounds on what they may skip.</summary>
public sealed class ApiKeyAuthenticatorTests : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteApiKeyStore _store;
    private readonly ApiKeyAuthenticator _keys;

    public ApiKeyAuthenticatorTests()
    {
        _store = new SqliteApiKeyStore(Path.Combine(_directory.Path, "keys.db"));
        _keys = new ApiKeyAuthenticator(_store, _time, new MeridianOptions { Gateway = { Auth = { KeyCacheDuration = CacheFor } } });
    }

    public void Dispose() => _directory.Dispose();

    private async Task<(string Id, string Key)> CreateAsync(DateTimeOffset? expires = null)
    {
        var (id, key) = ApiKeys.Generate();
        await _store.AddAsync(new ApiKeyRecord(id, "acme", [Scopes.Read], null, _time.GetUtcNow(), expires, null), ApiKeys.Hash(key));
        return (id, key);
    }

    [Fact]
    public async Task RepeatedKey_GetsTheSameCaller_WithItsClaimsAndScopes()
    {
        var (id, key) = await CreateAsync();

        var first = await _keys.AuthenticateAsync(key, default);
        var second = await _keys.AuthenticateAsync(key, default);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal(id, first.Principal.FindFirst(GatewayClaims.KeyId)?.Value);
        Assert.Equal("acme", first.Principal.FindFirst(GatewayClaims.Tenant)?.Value);
        Assert.Equal([Scopes.Read], first.Scopes);
    }

    [Fact]
    public async Task RevokedKey_IsRefusedOnceTheCacheDurationHasPassed()
    {
        var (id, key) = await CreateAsync();
        Assert.NotNull(await _keys.AuthenticateAsync(key, default));

        await _store.RevokeAsync(id, _time.GetUtcNow());
        _time.Advance(CacheFor);

        Assert.Null(await _keys.AuthenticateAsync(key, default));
        Assert.Equal(0, _keys.RememberedCount);
    }

    [Fact]
    public async Task ExpiringKey_IsRefusedFromItsExpiry_EvenWhileRemembered()
    {
        var (_, key) = await CreateAsync(expires: _time.GetUtcNow().AddSeconds(5));
        Assert.NotNull(await _keys.AuthenticateAsync(key, default));

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(await _keys.AuthenticateAsync(key, default));
    }

    [Fact]
    public async Task UnknownOrMalformedKeys_AreNotRemembered()
    {
        var (_, key) = ApiKeys.Generate();

        Assert.Null(await _keys.AuthenticateAsync(key, default));
        Assert.Null(await _keys.AuthenticateAsync("not-a-key", default));
        Assert.Null(await _keys.AuthenticateAsync(ApiKeys.Prefix + new string('x', 200), default));
        Assert.Equal(0, _keys.RememberedCount);
    }

    [Fact]
    public async Task NoCacheDuration_AsksTheStoreEveryTime()
    {
        var keys = new ApiKeyAuthenticator(_store, _time, new MeridianOptions { Gateway = { Auth = { KeyCacheDuration = TimeSpan.Zero } } });
        var (id, key) = await CreateAsync();
        Assert.NotNull(await keys.AuthenticateAsync(key, default));

        await _store.RevokeAsync(id, _time.GetUtcNow());

        Assert.Null(await keys.AuthenticateAsync(key, default));
        Assert.Equal(0, keys.RememberedCount);
    }
}
