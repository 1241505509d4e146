using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.Caching;
using Meridian.Storage.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Composition;

/// <summary>
/// The cache adapter the options ask for: Redis as L2 and as the shared collection versions when
/// <c>Cache:Redis</c> is set, else memory and versions of this process only. Either way the versions registered
/// here win over a writer's default, since the caches must read the versions the writers bump.
/// </summary>
internal static class Caching
{
    public static void Register(IServiceCollection services, CacheOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            services.Replace(ServiceDescriptor.Singleton<ICollectionVersions, InMemoryCollectionVersions>());
        }
        else
        {
            var redis = Connect(options);
            services.AddRedisCaching(sp => redis(sp.GetRequiredService<ILogger<RedisConnection>>()));
        }
        HybridRepresentationCache.Register(services, options.MaxEntryBytes, options.MemoryBytes);
    }

    /// <summary>
    /// A load by <c>meridian ingest</c> runs in a process of its own. With Redis it bumps the shared version, so
    /// serving processes drop their cached pages and tiles of the collection at once; without Redis the versions
    /// live inside each serving process, out of reach: their entries then age out (<c>Cache:*:ServerSeconds</c>).
    /// </summary>
    public static async Task AnnounceLoadAsync(CacheOptions options, string collectionId, ILoggerFactory logging, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Redis)) return;
        await using var connection = Connect(options)(logging.CreateLogger<RedisConnection>());
        await new RedisCollectionVersions(connection, logging.CreateLogger<RedisCollectionVersions>()).BumpAsync(collectionId, ct);
    }

    /// <summary>Checks the configuration string now, so that a bad one stops start-up naming the setting.</summary>
    private static Func<ILogger<RedisConnection>, RedisConnection> Connect(CacheOptions options)
    {
        try
        {
            StackExchange.Redis.ConfigurationOptions.Parse(options.Redis!);
        }
        catch (Exception e) when (e is ArgumentException or StackExchange.Redis.RedisConnectionException)
        {
            throw new OptionsException([$"Meridian:Cache:Redis: {e.Message}"]);
        }
        return logger => new RedisConnection(options.Redis!, TimeSpan.FromMilliseconds(options.RedisTimeoutMilliseconds), logger);
    }
}
