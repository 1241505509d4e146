using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Caching.Memory;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Looks a presented key up by its hash, remembering answers (unknown keys too, so guessing costs no database
/// round trip) for <see cref="AuthOptions.KeyCacheDuration"/>: a revocation takes effect within that time.
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
            if (_cacheFor > TimeSpan.Zero) cache.Set(hash, record, _cacheFor);
        }
        return record is not null && record.IsActive(time.GetUtcNow()) ? record : null;
    }
}
