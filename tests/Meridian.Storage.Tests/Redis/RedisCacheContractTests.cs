using Meridian.Storage.Redis;
using Meridian.Storage.Tests.Caching;
using Meridian.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Tests.Redis;

/// <summary>The cache contract on the Redis that scripts/test.sh starts; each handle has its own connection and L1.</summary>
public sealed class RedisCacheContractTests : CacheContract
{
    protected override bool Distributed => true;

    protected override void AddAdapter(IServiceCollection services) =>
        services.AddRedisCaching(sp => new RedisConnection(RedisServer.Shared(), TimeSpan.FromSeconds(5),
            sp.GetRequiredService<ILogger<RedisConnection>>()));
}
