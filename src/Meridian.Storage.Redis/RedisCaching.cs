using Meridian.Storage.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Storage.Redis;

/// <summary>The distributed cache adapter: Redis as HybridCache's L2 and as the shared collection versions.</summary>
public static class RedisCaching
{
    /// <summary>
    /// Registers the Redis L2 and versions over one connection; call before
    /// <see cref="HybridRepresentationCache.Register"/> so that HybridCache finds its L2. The versions replace
    /// any registered before (e.g. the in-memory default a writing role adds).
    /// </summary>
    public static IServiceCollection AddRedisCaching(this IServiceCollection services, Func<IServiceProvider, RedisConnection> connection)
    {
        services.AddSingleton(connection);
        services.AddSingleton<ISharedCache>(sp => sp.GetRequiredService<RedisConnection>());
        services.AddSingleton<IDistributedCache, ResilientDistributedCache>();
        services.Replace(ServiceDescriptor.Singleton<ICollectionVersions, RedisCollectionVersions>());
        return services;
    }
}
