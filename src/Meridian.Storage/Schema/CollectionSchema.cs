namespace Meridian.Storage.Schema;

/// <summary>What a feature collection is: its identity, geometry and attributes.</summary>
/// <param name="Id">The collection id in URLs; unique across all stores of a process.</param>
/// <param name="StorageSrid">EPSG code the geometries are stored in (x east, y north); output is transformed to the CRS asked for.</param>
/// <param name="TemporalProperty">The property that <c>datetime</c> filters apply to, if the collection has one.</param>
public sealed record CollectionSchema(
    string Id,
    string Title,
    string? Description,
    GeometryKind GeometryType,
    int StorageSrid,
    FeatureIdKind IdKind,
    IReadOnlyList<PropertySchema> Properties,
    string? TemporalProperty)
{
    /// <summary>The name of the geometry in the store (a column name), which filters may use besides <c>geometry</c>.</summary>
    public string GeometryName { get; init; } = "geometry";

    /// <summary>
    /// Whether the geometries carry heights (every position x, y, z): a PostGIS column with a Z typmod
    /// (<c>geometry(PointZ, 4326)</c>), a GeoPackage layer with z = 1. Writes of a geometry of the other
    /// dimension are refused (<see cref="Spatial.Heights"/>); loads give 2D geometries a height of 0.
    /// </summary>
    public bool HasZ { get; init; }

    public PropertySchema? FindProperty(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
