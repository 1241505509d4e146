namespace Meridian.Storage.Caching;

/// <summary>
/// The current version of a collection cannot be confirmed (the shared version store is unreachable), so no
/// cached representation of it can be trusted: callers answer from the feature store instead.
/// </summary>
public sealed class VersionsUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
