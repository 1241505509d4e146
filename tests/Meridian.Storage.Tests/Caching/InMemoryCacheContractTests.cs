using Meridian.Storage.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Storage.Tests.Caching;

public sealed class InMemoryCacheContractTests : CacheContract
{
    protected override bool Distributed => false;

    protected override void AddAdapter(IServiceCollection services) =>
        services.AddSingleton<ICollectionVersions, InMemoryCollectionVersions>();
}
