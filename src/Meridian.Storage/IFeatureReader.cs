using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Meridian.Storage;

/// <summary>
/// A forward-only cursor over features, shaped like <c>DbDataReader</c> so that results stream from the
/// database to the response without materializing.
/// </summary>
public interface IFeatureReader : IAsyncDisposable
{
    ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    string Id { get; }

    /// <summary>Writes the geometry as a GeoJSON value (or null) in the requested CRS; adapters may copy pre-rendered JSON.</summary>
    void WriteGeometry(Utf8JsonWriter writer);

    /// <summary>The geometry in the requested CRS, for outputs that need an object (HTML, other formats).</summary>
    Geometry? ReadGeometry();

    /// <summary>
    /// The value of the property at this position of <c>Schema.Properties</c>: null, string, long, double,
    /// bool, DateOnly, DateTimeOffset, or a string for <c>PropertyType.Other</c>.
    /// </summary>
    object? GetValue(int ordinal);

    /// <summary>
    /// How many features match the whole query (<c>FeatureQuery.CountMatches</c>), counted in the same snapshot of the
    /// collection as the page, so that a load replacing the collection meanwhile cannot make the two disagree: from the
    /// page's own statement, or by a count in the page's read transaction. Call it once the page has been read (the
    /// reader may close its rows to run the count). Null when the reader cannot tell (the query did not ask for a
    /// count, or nothing was read because nothing could match); the caller then counts apart.
    /// </summary>
    ValueTask<long?> CountMatchedAsync(CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);
}
