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

    public ValueTask<long> GetAsync(string collectionId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Interlocked.Read(ref Version(collectionId).Value));

    public ValueTask BumpAsync(string collectionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Version(collectionId).Value);
        return ValueTask.CompletedTask;
    }

    private StrongBox<long> Version(string collectionId) => _versions.GetOrAdd(collectionId, _ => new StrongBox<long>(0));
}
