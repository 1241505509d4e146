using Meridian.Hosting.Problems;
using Meridian.Storage;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// All collections of all stores in this process, under one id space. Stores are asked on every call, so
/// collections loaded by another process (e.g. <c>meridian ingest</c>) appear without a restart.
/// </summary>
public sealed partial class CollectionCatalog(IEnumerable<IFeatureStore> stores, ILogger<CollectionCatalog> logger)
{
    public IReadOnlyList<IFeatureStore> Stores { get; } = stores.ToList();

    public async Task<IReadOnlyList<IFeatureCollection>> ListAsync(CancellationToken cancellationToken)
    {
        var collections = new List<IFeatureCollection>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var store in Stores)
        {
            foreach (var collection in await store.GetCollectionsAsync(cancellationToken))
            {
                // Stores are listed in precedence order (data directory, --gpkg files, PostGIS): the first id wins.
                if (seen.Add(collection.Schema.Id)) collections.Add(collection);
                else LogDuplicate(collection.Schema.Id, store.Name);
            }
        }
        return collections;
    }

    public async Task<IFeatureCollection> GetAsync(string id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(c => c.Schema.Id == id)
        ?? throw ProblemException.NotFound($"There is no collection '{id}'.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Id} of {Store} is hidden by a collection of the same id in an earlier store")]
    private partial void LogDuplicate(string id, string store);
}
