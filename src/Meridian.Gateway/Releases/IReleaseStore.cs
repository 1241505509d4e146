namespace Meridian.Gateway.Releases;

/// <summary>
/// Where release states live so that gateway replicas agree: in memory (one process) or Redis (shared). States
/// are opaque strings changed by compare-and-set, so two replicas cannot both take the same step.
/// </summary>
internal interface IReleaseStore
{
    /// <summary>"memory" or "redis", for the status answers.</summary>
    string Kind { get; }

    Task<string?> GetAsync(string route);

    /// <summary>Stores next if the stored value is still expected (null: nothing stored yet); false otherwise.</summary>
    Task<bool> CompareAndSetAsync(string route, string? expected, string next);

    /// <summary>Calls back with a route's name whenever any replica changed its state.</summary>
    void Subscribe(Action<string> changed);
}
