namespace Meridian.Storage.Caching;

/// <summary>
/// The cache the processes of a deployment share (Redis), which can be away while this process runs: the roles that
/// use it report it in their readiness.
/// </summary>
public interface ISharedCache
{
    /// <summary>The cache for logs and readiness reports, e.g. "redis:cache:6379"; never a password.</summary>
    string Name { get; }

    /// <summary>Throws when the cache cannot serve now.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
