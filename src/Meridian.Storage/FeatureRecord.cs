using NetTopologySuite.Geometries;

namespace Meridian.Storage;

/// <summary>A feature on its way into a store; the geometry is in the schema's storage SRID.</summary>
public sealed record FeatureRecord(string? Id, Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties);
