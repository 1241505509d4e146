using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Formats;

/// <summary>A feature as read from a file, before it is validated and its values are fitted to a schema.</summary>
/// <param name="Record">1-based position in the file (a row, a feature, a placemark), for reports.</param>
/// <param name="Properties">string, long, double, bool, null, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, or <see cref="RawJson"/> for objects and arrays.</param>
/// <param name="Error">Why this record could not be read (a CSV row with a bad WKT, a wrong column count); such a
/// record is rejected and reported, never loaded, and the rest of the file still is.</param>
public sealed record SourceFeature(long Record, string? Id, Geometry? Geometry, IReadOnlyList<KeyValuePair<string, object?>> Properties, string? Error = null)
{
    public static SourceFeature Rejected(long record, string error) => new(record, null, null, [], error);
}

/// <summary>A nested value (a JSON object or array) kept as its JSON text.</summary>
public sealed record RawJson(string Json)
{
    public override string ToString() => Json;
}
