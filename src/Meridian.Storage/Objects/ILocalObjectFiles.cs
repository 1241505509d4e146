namespace Meridian.Storage.Objects;

/// <summary>
/// An object store whose objects are plain files on this machine: a reader that needs a file path (DuckDB) reads them
/// in place instead of copying them out first.
/// </summary>
public interface ILocalObjectFiles
{
    /// <summary>The object's file, or null when its bytes on disk are not the object's (encrypted at rest).</summary>
    string? LocalFileOf(ObjectKey key);
}
