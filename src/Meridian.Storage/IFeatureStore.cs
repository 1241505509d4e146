using Meridian.Storage.Schema;

namespace Meridian.Storage;

/// <summary>
/// The feature-store port: a source of feature collections (a GeoPackage file, a directory of them,
/// a PostGIS database). Adapters are built once at start-up and shared.
/// </summary>
public interface IFeatureStore
{
    /// <summary>A short name for logs and readiness reports, e.g. "geopackage:/srv/data/places.gpkg".</summary>
    string Name { get; }

    /// <summary>The collections this store publishes now; stores may discover new ones between calls.</summary>
    Task<IReadOnlyList<IFeatureCollection>> GetCollectionsAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot serve requests (file gone, database unreachable).</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Asks a store that remembers its discovery to look again on the next listing, because a collection was asked
    /// for by id and not found: another process (a worker's load) may have just created it. Stores may ignore the
    /// request when they looked very recently, so that requests for unknown ids cannot make them look constantly.
    /// </summary>
    void Rediscover() { }

    /// <summary>
    /// Asks a store that remembers what its collections are (columns, extent) to read one of them again before it is
    /// next served, because its version changed (<see cref="ICollectionVersions"/>): another process may have changed
    /// it, replaced its table or deleted it. Stores that read their collections afresh on every listing need do nothing.
    /// </summary>
    Task RefreshAsync(string collectionId, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A store that can also create collections and take bulk loads.</summary>
public interface IWritableFeatureStore : IFeatureStore
{
    /// <summary>
    /// Loads features into a collection in one transaction: the collection is created with
    /// <paramref name="schema"/> when missing, otherwise the schema must be compatible. On any failure
    /// nothing is written. Returns the number of features loaded.
    /// </summary>
    Task<long> LoadAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken);

    /// <summary>
    /// Loads features into a new collection in one transaction, as <see cref="LoadAsync"/> creates one, but throws
    /// <see cref="Writing.StoreConflictException"/>, writing nothing, when the collection exists by the time the load
    /// writes: a check made before the load (another one may have created the collection since) is not enough.
    /// </summary>
    Task<long> LoadNewAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a collection's features and schema with these, creating it when missing. The features go into a
    /// staging table first; only a complete load is swapped in, in one transaction, so readers see the old
    /// contents or the new ones, never a part. On any failure the collection is left as it was. Returns the number
    /// of features loaded.
    /// </summary>
    Task<long> ReplaceAsync(CollectionSchema schema, IAsyncEnumerable<FeatureRecord> features, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an empty collection with this schema (its id, title, description, geometry type, storage SRID and
    /// properties); throws <see cref="Writing.StoreConflictException"/> when the store already has one of that id.
    /// </summary>
    Task CreateCollectionAsync(CollectionSchema schema, CancellationToken cancellationToken);

    /// <summary>Deletes a collection and all its features; false when the store has no such collection.</summary>
    Task<bool> DeleteCollectionAsync(string collectionId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the store has a collection whose id is <paramref name="collectionId"/>, its case ignored (the check
    /// before creating one). A store may answer without discovering every collection.
    /// </summary>
    async Task<bool> HasCollectionAsync(string collectionId, CancellationToken cancellationToken) =>
        (await GetCollectionsAsync(cancellationToken)).Any(c => string.Equals(c.Schema.Id, collectionId, StringComparison.OrdinalIgnoreCase));
}
