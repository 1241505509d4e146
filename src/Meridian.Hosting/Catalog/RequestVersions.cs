using Meridian.Storage;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// Collection versions read once per request: the cache key (<see cref="Http.HttpCachingMiddleware"/>) and the
/// catalog's check that what the stores remember of a collection is current both need them, and with Redis a second
/// reading would be a second round trip. Outside a request (a worker) every call reads the version.
/// </summary>
internal static class RequestVersions
{
    private static readonly object ItemsKey = new();

    public static async ValueTask<long> GetAsync(ICollectionVersions versions, HttpContext? context, string collectionId,
        CancellationToken cancellationToken)
    {
        var read = context?.Items[ItemsKey] as Dictionary<string, long>;
        if (read is not null && read.TryGetValue(collectionId, out var known)) return known;
        var version = await versions.GetAsync(collectionId, cancellationToken);
        if (context is not null)
        {
            read ??= (Dictionary<string, long>)(context.Items[ItemsKey] = new Dictionary<string, long>(StringComparer.Ordinal));
            read[collectionId] = version;
        }
        return version;
    }
}
