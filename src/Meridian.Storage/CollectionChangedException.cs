namespace Meridian.Storage;

/// <summary>
/// The collection changed under a read or write: its table was replaced or dropped (by another process, whose
/// announcement through <see cref="ICollectionVersions"/> has not arrived yet), so what the store knew of its columns
/// no longer holds. Nothing was written; the same request a moment later is served with the collection as it is now.
/// </summary>
public sealed class CollectionChangedException(string collectionId, Exception inner)
    : Exception($"Collection '{collectionId}' changed while it was being read or written (its table was replaced or dropped); retry.", inner)
{
    public string CollectionId { get; } = collectionId;
}
