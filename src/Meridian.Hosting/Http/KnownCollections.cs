using Meridian.Hosting.Catalog;

namespace Meridian.Hosting.Http;

/// <summary>
/// The ids of the catalog's collections, listed again at most once a second: listing asks every store (a
/// GeoPackage store opens its file), too dear for every cache hit. Being a second late only means a new
/// collection is served uncached for that second, or a deleted one keeps a version a little longer.
/// </summary>
internal sealed class KnownCollections
{
    private const long RefreshMilliseconds = 1000;

    private volatile Snapshot? _snapshot;

    public async ValueTask<IReadOnlySet<string>> GetAsync(CollectionCatalog catalog, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (_snapshot is { } current && now - current.Taken < RefreshMilliseconds) return current.Ids;
        var ids = (await catalog.ListAcrossTenantsAsync(cancellationToken)).Select(c => c.Schema.Id).ToHashSet(StringComparer.Ordinal);
        _snapshot = new Snapshot(ids, now);
        return ids;
    }

    private sealed record Snapshot(IReadOnlySet<string> Ids, long Taken);
}
