using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Claims;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Authenticates "X-API-Key: KEY" or "Authorization: ApiKey KEY" against the key store. A key found active is
/// remembered under the presented key, with its caller, for <see cref="AuthOptions.KeyCacheDuration"/>: a repeat
/// request costs one dictionary probe (no hash, no store query, no new principal). Expiry is checked on every
/// request; a revocation (<c>meridian keys revoke</c>, from any process sharing the key database) takes effect
/// within KeyCacheDuration at most. Unknown, revoked and expired keys are never remembered, so guesses cannot fill
/// the cache (each costs a hash and one index probe; the rate limits bound how many arrive), and it holds at most
/// <see cref="MaxEntries"/> keys.
/// </summary>
/// <remarks>
/// A remembered caller's principal is shared by that key's requests: nothing in Meridian changes
/// <c>HttpContext.User</c> in place, and a component that wanted to would have to copy it first.
/// </remarks>
internal sealed class ApiKeyAuthenticator(IApiKeyStore store, TimeProvider time, MeridianOptions options)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-API-Key";
    public const int MaxEntries = 10_000;
    private const int MaxKeyLength = 128;

    private readonly TimeSpan _cacheFor = options.Gateway.Auth.KeyCacheDuration;
    private readonly ConcurrentDictionary<string, Remembered> _remembered = new(StringComparer.Ordinal);

    /// <summary>The key a request presents, or null: X-API-Key first, then an "ApiKey" Authorization header.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.TryGetValue(Header, out var key)) return key.ToString().Trim();
        var authorization = headers.Authorization.ToString();
        return authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) ? authorization[(SchemeName.Length + 1)..].Trim() : null;
    }

    /// <summary>The key's caller, or null when the key is unknown, expired or revoked.</summary>
    public ValueTask<Caller?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_remembered.TryGetValue(key, out var remembered) && now < remembered.TrustedUntil)
            return ValueTask.FromResult(remembered.Record.IsActive(now) ? remembered.Caller : null);
        if (!key.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) || key.Length > MaxKeyLength) return ValueTask.FromResult<Caller?>(null);
        return LookUpAsync(key, cancellationToken);
    }

    /// <summary>How many keys are remembered now (for tests of the bound).</summary>
    internal int RememberedCount => _remembered.Count;

    private async ValueTask<Caller?> LookUpAsync(string key, CancellationToken cancellationToken)
    {
        var record = await store.FindByHashAsync(ApiKeys.Hash(key), cancellationToken);
        var now = time.GetUtcNow();
        if (record is null || !record.IsActive(now))
        {
            _remembered.TryRemove(key, out _);
            return null;
        }
        var caller = CallerOf(record);
        if (_cacheFor > TimeSpan.Zero) Remember(key, new Remembered(record, caller, now + _cacheFor), now);
        return caller;
    }

    private void Remember(string key, Remembered remembered, DateTimeOffset now)
    {
        if (_remembered.Count >= MaxEntries)
        {
            foreach (var (k, v) in _remembered)
            {
                if (now >= v.TrustedUntil) _remembered.TryRemove(k, out _);
            }
            // Still full of keys in use: they are looked up again on each request rather than growing the cache.
            if (_remembered.Count >= MaxEntries) return;
        }
        _remembered[key] = remembered;
    }

    private static Caller CallerOf(ApiKeyRecord record)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "key:" + record.Id),
            new Claim(GatewayClaims.KeyId, record.Id),
            new Claim(GatewayClaims.Tenant, record.Tenant),
            new Claim(GatewayClaims.Scope, string.Join(' ', record.Scopes)),
        ], SchemeName);
        return new Caller(new ClaimsPrincipal(identity), record.Scopes.ToFrozenSet(StringComparer.Ordinal));
    }

    private sealed record Remembered(ApiKeyRecord Record, Caller Caller, DateTimeOffset TrustedUntil);
}
