using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Writing;

/// <summary>
/// The change an update makes to one feature: a new geometry (CRS84) when <see cref="SetsGeometry"/>, and new
/// values (null clears) for the properties named; everything else stays as it is.
/// </summary>
public sealed record FeaturePatch(bool SetsGeometry, Geometry? Geometry, IReadOnlyDictionary<string, object?> Properties)
{
    /// <summary>
    /// The patch that turns any feature of the collection into <paramref name="feature"/>; a property the schema
    /// does not declare is refused rather than dropped.
    /// </summary>
    public static FeaturePatch Replacing(CollectionSchema schema, FeatureRecord feature)
    {
        if (feature.Properties.Keys.FirstOrDefault(name => schema.FindProperty(name) is null) is { } unknown)
            throw new InvalidFeatureException($"'{schema.Id}' has no property '{unknown}'.");
        return new(true, feature.Geometry, schema.Properties.ToDictionary(
            p => p.Name, p => feature.Properties.GetValueOrDefault(p.Name), StringComparer.Ordinal));
    }
}
