using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Caching.Memory;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Looks a presented key up by its hash, remembering known keys for <see cref="AuthOptions.KeyCacheDuration"/>
/// (a revocation takes effect within that time). Unknown keys are not remembered: random guesses would fill the
/// cache; they cost one index probe each, and the rate limits bound how many arrive.
/// </summary>
internal sealed class ApiKeyValidator(IApiKeyStore store, IMemoryCache cache, TimeProvider time, MeridianOptions options)
{
    // The process's memory cache is shared and bounded in bytes (Meridian:Cache), so every entry states its size:
    // a record's strings and scopes, roughly.
    private const int EntryBytes = 512;
    private readonly TimeSpan _cacheFor = options.Gateway.Auth.KeyCacheDuration;

    public async Task<ApiKeyRecord?> ValidateAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) || key.Length > 128) return null;
        var hash = ApiKeys.Hash(key);
        if (!cache.TryGetValue(hash, out ApiKeyRecord? record))
        {
            record = await store.FindByHashAsync(hash, cancellationToken);
            if (record is not null && _cacheFor > TimeSpan.Zero) cache.Set(hash, record, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _cacheFor, Size = EntryBytes });
        }
        return record is not null && record.IsActive(time.GetUtcNow()) ? record : null;
    }
}
