namespace Meridian.Hosting.Catalog;

/// <summary>
/// Which tenant owns which collection, when the gateway authenticates callers (Gateway:Auth). A collection
/// without an owner is public. The catalog shows a caller the public collections and its tenant's own.
/// </summary>
public interface ICollectionOwners
{
    /// <summary>Owner tenant by collection id (ids as the stores spell them); collections not listed are public.</summary>
    Task<IReadOnlyDictionary<string, string>> OwnersAsync(CancellationToken cancellationToken);

    /// <summary>Records who owns a collection; null makes it public.</summary>
    Task SetOwnerAsync(string collectionId, string? tenant, CancellationToken cancellationToken);
}
