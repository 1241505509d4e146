using System.Runtime.CompilerServices;
using System.Collections.Concurrent;

namespace Meridian.Storage.Caching;

/// <summary>
/// Collection versions of one process: enough when every writer and every cache live in this process (the
/// embedded default). Processes that share a cache share their versions through Redis instead.
/// </summary>
public sealed class InMemoryCollectionVersions : ICollectionVersions
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _versions = new(StringComparer.Ordinal);

    /// <summary>A collection never changed is at 0; reads add nothing, so asking about any id costs no memory.</summary>
    public ValueTask<long> GetAsync(string collectionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_versions.TryGetValue(collectionId, out var version) ? Interlocked.Read(ref version.Value) : 0);

    public ValueTask BumpAsync(string collectionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _versions.GetOrAdd(collectionId, _ => new StrongBox<long>(0)).Value);
        return ValueTask.CompletedTask;
    }
}
