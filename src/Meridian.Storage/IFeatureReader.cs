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
    /// How many features match the whole query, when the store counted them with the page (see
    /// <c>FeatureQuery.CountMatches</c>); known once a first row was read, null otherwise.
    /// </summary>
    long? NumberMatched => null;
}
