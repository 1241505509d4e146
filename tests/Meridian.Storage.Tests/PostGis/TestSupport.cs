using Meridian.Storage.PostGis;
using Meridian.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>Keeps what was logged, for tests that check a warning.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add((logLevel, formatter(state, exception)));
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal static class Stores
{
    public static PostGisFeatureStore Open(
        PostGisTestDatabase database, IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null,
        ILogger<PostGisFeatureStore>? logger = null, TimeProvider? time = null) =>
        new(new PostGisStoreOptions { ConnectionString = database.ConnectionString, Include = include ?? [], Exclude = exclude ?? [] },
            logger ?? NullLogger<PostGisFeatureStore>.Instance, time);

    public static async Task<IFeatureCollection> CollectionAsync(this IFeatureStore store, string id)
    {
        var collections = await store.GetCollectionsAsync(CancellationToken.None);
        return collections.SingleOrDefault(c => c.Schema.Id == id)
            ?? throw new InvalidOperationException($"No collection '{id}' among {string.Join(", ", collections.Select(c => c.Schema.Id))}.");
    }

    /// <summary>Reads every feature of a reader as (id, geometry, properties) and disposes it.</summary>
    public static async Task<List<(string Id, NetTopologySuite.Geometries.Geometry? Geometry, object?[] Values)>> ReadAllAsync(
        this IFeatureReader reader, int propertyCount)
    {
        var features = new List<(string, NetTopologySuite.Geometries.Geometry?, object?[])>();
        await using (reader)
        {
            while (await reader.ReadAsync(CancellationToken.None))
                features.Add((reader.Id, reader.ReadGeometry(), Enumerable.Range(0, propertyCount).Select(reader.GetValue).ToArray()));
        }
        return features;
    }

    public static async Task<List<string>> IdsAsync(this IFeatureCollection collection, Querying.FeatureQuery query)
    {
        var ids = new List<string>();
        await using var reader = await collection.QueryAsync(query, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None)) ids.Add(reader.Id);
        return ids;
    }
}
