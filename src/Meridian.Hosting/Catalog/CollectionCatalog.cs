using System.Collections.Concurrent;
using System.Security.Claims;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Storage;
using Meridian.Storage.Caching;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// All collections of all stores in this process, under one id space. Stores are asked on every call, so
/// collections loaded by another process (e.g. <c>meridian ingest</c>) appear without a restart.
/// With tenancy (<see cref="ICollectionOwners"/>, registered by Gateway:Auth) a request sees only public
/// collections and its tenant's own (an admin sees all); another tenant's collection does not exist for it
/// (404), so Features, Tiles and writes all honour ownership by going through the catalog.
/// </summary>
/// <remarks>
/// Stores may remember what a collection is (a PostGIS store its table's columns and extent, for a few seconds), and
/// another process may replace, drop or re-create that table meanwhile. Before serving a collection the catalog
/// compares its version (<see cref="ICollectionVersions"/>, shared through Redis) with the one it had when the stores
/// last read it, and has them read it again when it moved on: a change announced anywhere is served with the
/// collection's current columns at once, never read through its old ones (a 500 for a column gone) or cached under
/// the new version with the old ones.
/// </remarks>
public sealed partial class CollectionCatalog(
    IEnumerable<IFeatureStore> stores, ILogger<CollectionCatalog> logger, IHttpContextAccessor? http = null, ICollectionOwners? owners = null,
    ICollectionVersions? versions = null)
{
    // The claims the gateway's authentication gives every caller, whether it came with an API key or a JWT.
    private const string TenantClaim = "tenant";

    private readonly AsyncLocal<TenantCaller?> _actingFor = new();

    /// <summary>The version each collection had when the stores last read it (<see cref="RefreshChangedAsync"/>).</summary>
    private readonly ConcurrentDictionary<string, long> _readAt = new(StringComparer.Ordinal);

    /// <summary>One reading of a collection at a time: the requests that meet a new version together wait for one.</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _reading = new(StringComparer.Ordinal);

    public IReadOnlyList<IFeatureStore> Stores { get; } = stores.ToList();

    /// <summary>The collections the current caller may see.</summary>
    public async Task<IReadOnlyList<IFeatureCollection>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await ListAcrossTenantsAsync(cancellationToken);
        if (await RefreshChangedAsync(all.Select(c => c.Schema.Id).ToList(), cancellationToken)) all = await ListAcrossTenantsAsync(cancellationToken);
        return await VisibleAsync(all, cancellationToken);
    }

    private async Task<IReadOnlyList<IFeatureCollection>> VisibleAsync(IReadOnlyList<IFeatureCollection> all, CancellationToken cancellationToken)
    {
        var (seesAll, tenant) = Caller();
        if (seesAll) return all;
        var owned = await owners!.OwnersAsync(cancellationToken);
        return all.Where(c => !owned.TryGetValue(c.Schema.Id, out var owner) || owner == tenant).ToList();
    }

    /// <summary>
    /// Before loading into a collection by id (ingestion): an existing one must be the caller's to see (else the
    /// 404 problem); a new one is claimed for the caller's tenant now, as the load will create it.
    /// </summary>
    public async Task RequireOrClaimAsync(string collectionId, CancellationToken cancellationToken)
    {
        var existing = (await ListAcrossTenantsAsync(cancellationToken)).FirstOrDefault(c => string.Equals(c.Schema.Id, collectionId, StringComparison.OrdinalIgnoreCase));
        if (existing is not null) await GetAsync(existing.Schema.Id, cancellationToken);
        else await ClaimAsync(collectionId, cancellationToken);
    }

    /// <summary>What the current caller sees, for keys of cached answers: "*" (everything), "tenant:NAME" or "public".</summary>
    public string View() => Caller() switch
    {
        (true, _) => "*",
        (_, { } tenant) => "tenant:" + tenant,
        _ => "public",
    };

    /// <summary>Whether the caller sees every collection (no tenancy, no caller, or an admin), else its tenant (none: anonymous).</summary>
    private (bool SeesAll, string? Tenant) Caller() => CurrentCaller() is { Admin: false } caller ? (false, caller.Tenant) : (true, null);

    /// <summary>
    /// The caller this flow acts for: the one <see cref="ActAs"/> set, else the request's; none without tenancy, or outside
    /// any request (a worker, the CLI), which sees every collection. Recorded to act for the caller later (a workflow's steps).
    /// </summary>
    public TenantCaller? CurrentCaller() =>
        owners is null ? null
        : _actingFor.Value ?? (http?.HttpContext?.User is { } user ? new TenantCaller(TenantOf(user), GrantedScopes.IsAdmin(user)) : null);

    /// <summary>
    /// Until disposed, this asynchronous flow (and what it starts) sees and creates as <paramref name="caller"/> would: a
    /// worker running a workflow's steps acts for the caller that started it, which its request is long gone to tell.
    /// </summary>
    public IDisposable ActAs(TenantCaller caller)
    {
        var previous = _actingFor.Value;
        _actingFor.Value = caller;
        return new Restore(() => _actingFor.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>Makes the current caller's tenant the owner of a collection it just created (none: public).</summary>
    public async Task ClaimAsync(string collectionId, CancellationToken cancellationToken)
    {
        if (owners is null) return;
        await owners.SetOwnerAsync(collectionId, OwnerTenant(), cancellationToken);
    }

    /// <summary>
    /// The tenant that owns what the current caller creates (collections, jobs); none without tenancy or for an
    /// anonymous caller, whose creations are public.
    /// </summary>
    public string? OwnerTenant() => CurrentCaller()?.Tenant;

    /// <summary>
    /// The jobs the current caller may see, as its collections: its tenant's and the public ones; null (every job)
    /// without tenancy or for an admin. A job reads and writes collections, and its results show them.
    /// </summary>
    public JobVisibility? JobVisibility() => CurrentCaller()?.JobVisibility;

    private static string? TenantOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.FindFirst(TenantClaim)?.Value : null;


    /// <summary>Every collection, whoever owns it: for checks that span tenants (ids are unique across them).</summary>
    public async Task<IReadOnlyList<IFeatureCollection>> ListAcrossTenantsAsync(CancellationToken cancellationToken)
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

    public async Task<IFeatureCollection> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is { } known) return known;
        // Perhaps created a moment ago by another process (a worker's load): look again before answering 404.
        foreach (var store in Stores) store.Rediscover();
        return await FindAsync(id, cancellationToken) ?? throw ProblemException.NotFound($"There is no collection '{id}'.");
    }

    /// <summary>The collection the caller may see under this id, read again first if it changed since the stores last read it.</summary>
    private async Task<IFeatureCollection?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var found = (await VisibleAsync(await ListAcrossTenantsAsync(cancellationToken), cancellationToken)).FirstOrDefault(c => c.Schema.Id == id);
        // Only ids found are checked: with Redis a version is a key, and ids asked for at random must not make keys.
        if (found is null || !await RefreshChangedAsync([id], cancellationToken)) return found;
        return (await VisibleAsync(await ListAcrossTenantsAsync(cancellationToken), cancellationToken)).FirstOrDefault(c => c.Schema.Id == id);
    }

    /// <summary>
    /// Makes the stores read again each of these collections whose version is not the one it had when they last read it
    /// (or that they have not read since this process started); true when any was read again. The version is read before the stores
    /// read, so a change committed in between only makes the next request read once more. Without versions (Redis out
    /// of reach) nothing is checked: caches are bypassed then, and stores look again within seconds anyway.
    /// </summary>
    private async Task<bool> RefreshChangedAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (versions is null) return false;
        var refreshed = false;
        foreach (var id in ids)
        {
            long version;
            try
            {
                version = await RequestVersions.GetAsync(versions, http?.HttpContext, id, cancellationToken);
            }
            catch (VersionsUnavailableException)
            {
                return refreshed;
            }
            if (_readAt.TryGetValue(id, out var readAt) && readAt == version) continue;
            var gate = _reading.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                // Another request that read this version too may have had the stores read the collection meanwhile:
                // what they read is as new as this version, or newer.
                if (!_readAt.TryGetValue(id, out readAt) || readAt != version)
                {
                    foreach (var store in Stores) await store.RefreshAsync(id, cancellationToken);
                    _readAt[id] = version;
                }
                refreshed = true;
            }
            finally
            {
                gate.Release();
            }
        }
        return refreshed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collection {Id} of {Store} is hidden by a collection of the same id in an earlier store")]
    private partial void LogDuplicate(string id, string store);
}
