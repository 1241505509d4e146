using Meridian.Hosting.Catalog;

namespace Meridian.Gateway.Auth;

/// <summary>Owners recorded in the key database, over those configured (Gateway:Auth:CollectionTenants) for existing collections.</summary>
internal sealed class ConfiguredCollectionOwners(ICollectionOwners recorded, IReadOnlyDictionary<string, string> configured) : ICollectionOwners
{
    public async Task<IReadOnlyDictionary<string, string>> OwnersAsync(CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(configured, StringComparer.Ordinal);
        foreach (var (id, tenant) in await recorded.OwnersAsync(cancellationToken)) owners[id] = tenant;
        return owners;
    }

    public Task SetOwnerAsync(string collectionId, string? tenant, CancellationToken cancellationToken) => recorded.SetOwnerAsync(collectionId, tenant, cancellationToken);
}
