using System.Collections.Concurrent;
using Meridian.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meridian.Hosting.Versions;

/// <summary>
/// Collection versions held in this process: enough for one process whose writes go through its own API. A
/// shared implementation (registered before this one) replaces it where several processes cache.
/// </summary>
public sealed class InProcessCollectionVersions : ICollectionVersions
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public ValueTask<long> GetAsync(string collectionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_versions.GetValueOrDefault(collectionId));

    public ValueTask BumpAsync(string collectionId, CancellationToken cancellationToken)
    {
        _versions.AddOrUpdate(collectionId, 1, (_, version) => version + 1);
        return ValueTask.CompletedTask;
    }
}

public static class CollectionVersionsServices
{
    /// <summary>Registers <see cref="InProcessCollectionVersions"/> unless another implementation is registered already.</summary>
    public static IServiceCollection AddCollectionVersions(this IServiceCollection services)
    {
        services.TryAddSingleton<ICollectionVersions, InProcessCollectionVersions>();
        return services;
    }
}
