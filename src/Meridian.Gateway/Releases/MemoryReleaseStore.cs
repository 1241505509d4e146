using System.Collections.Concurrent;

namespace Meridian.Gateway.Releases;

/// <summary>Release states in this process only: right for one gateway; replicas need Redis to agree.</summary>
internal sealed class MemoryReleaseStore : IReleaseStore
{
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.OrdinalIgnoreCase);

    public string Kind => "memory";

    public Task<string?> GetAsync(string route) => Task.FromResult(_states.TryGetValue(route, out var state) ? state : null);

    public Task<bool> CompareAndSetAsync(string route, string? expected, string next) =>
        Task.FromResult(expected is null ? _states.TryAdd(route, next) : _states.TryUpdate(route, next, expected));

    // One process: the controller that changed a state already holds it.
    public void Subscribe(Action<string> changed)
    {
    }
}
