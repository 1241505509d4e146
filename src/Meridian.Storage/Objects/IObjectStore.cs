namespace Meridian.Storage.Objects;

/// <summary>
/// The object-store port: named blobs under slash-separated keys, where uploaded files land before they are
/// parsed and where results are written. Adapters: a local directory (embedded) and the S3 API.
/// An object is either fully there or not at all: readers never see a half-written object. Uploads in parts
/// are built on top, the same for every adapter (<see cref="ObjectUploads"/>).
/// </summary>
public interface IObjectStore
{
    /// <summary>A short name for logs and readiness reports, e.g. "local:/srv/meridian/objects".</summary>
    string Name { get; }

    /// <summary>Writes an object from a stream of unknown length without holding it all in memory; replaces any object with that key.</summary>
    Task<ObjectInfo> PutAsync(ObjectKey key, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading; throws <see cref="ObjectNotFoundException"/> when there is none.</summary>
    Task<Stream> OpenReadAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>The object's size and date, or null when there is none.</summary>
    Task<ObjectInfo?> GetInfoAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Every object whose key starts with the prefix (a folder when it ends with '/'), in key order. Keys of the
    /// reserved area (<see cref="ObjectKey.ReservedArea"/>) are listed only when the prefix is in it.
    /// </summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes the object; false when there was none.</summary>
    Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot serve requests (directory gone, bucket unreachable).</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>What a store knows about one object.</summary>
public sealed record ObjectInfo(ObjectKey Key, long Size, DateTimeOffset LastModified);

/// <summary>The object, or the upload, named does not exist.</summary>
public sealed class ObjectNotFoundException(string message) : Exception(message);
