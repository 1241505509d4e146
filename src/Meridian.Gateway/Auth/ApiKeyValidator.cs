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
    private readonly TimeSpan _cacheFor = options.Gateway.Auth.KeyCacheDuration;

    public async Task<ApiKeyRecord?> ValidateAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) || key.Length > 128) return null;
        var hash = ApiKeys.Hash(key);
        if (!cache.TryGetValue(hash, out ApiKeyRecord? record))
        {
            record = await store.FindByHashAsync(hash, cancellationToken);
            if (record is not null && _cacheFor > TimeSpan.Zero) cache.Set(hash, record, _cacheFor);
        }
        return record is not null && record.IsActive(time.GetUtcNow()) ? record : null;
    }
}
