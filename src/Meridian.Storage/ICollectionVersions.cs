namespace Meridian.Storage;

/// <summary>
/// A version per collection, bumped after every committed change to its features or schema (an item write,
/// a load, a collection created or deleted). Caches put the version in their keys, so a change makes every
/// cached page and tile of the collection unreachable at once instead of having to find and delete them.
/// </summary>
public interface ICollectionVersions
{
    /// <summary>The current version of the collection; any value, as long as a bump changes it.</summary>
    ValueTask<long> GetAsync(string collectionId, CancellationToken cancellationToken);

    /// <summary>Records that the collection changed. Called after the change committed, never before.</summary>
    ValueTask BumpAsync(string collectionId, CancellationToken cancellationToken);
}
