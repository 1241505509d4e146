using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace Meridian.Ingestion.Validation;

/// <summary>What to do with a geometry that is not valid in the OGC Simple Features sense.</summary>
public enum InvalidGeometryPolicy
{
    /// <summary>Load what NetTopologySuite's GeometryFixer makes of it (a bow-tie becomes two triangles) and report it.</summary>
    Repair,

    /// <summary>Reject the record, with the reason and the place NetTopologySuite gives.</summary>
    Reject,
}

public sealed record ValidationOptions
{
    public InvalidGeometryPolicy InvalidGeometries { get; init; } = InvalidGeometryPolicy.Repair;

    /// <summary>Geometries with more vertices are rejected: one such record would dominate memory and every tile it touches.</summary>
    public int MaxVertices { get; init; } = 1_000_000;
}

/// <summary>The geometry to load (possibly repaired), or why the record is rejected.</summary>
public readonly record struct GeometryCheck(Geometry? Geometry, string? Rejection, bool Repaired)
{
    public static GeometryCheck Reject(string reason) => new(null, reason, false);
}

/// <summary>
/// Checks one CRS84 geometry before it is loaded: size, finite coordinates, longitude/latitude range (which also
/// catches swapped axes and a wrong source CRS) and OGC validity, repaired or rejected by policy.
/// </summary>
public sealed class GeometryValidator(ValidationOptions options)
{
    public GeometryCheck Check(Geometry? geometry)
    {
        if (geometry is null) return new GeometryCheck(null, null, false);
        if (geometry.NumPoints > options.MaxVertices)
            return GeometryCheck.Reject($"the geometry has {geometry.NumPoints:N0} vertices, more than the limit of {options.MaxVertices:N0}");
        if (OutOfRange(geometry) is { } problem) return GeometryCheck.Reject(problem);

        var validity = new IsValidOp(geometry).ValidationError;
        if (validity is null) return new GeometryCheck(geometry, null, false);
        var where = validity.Coordinate is { } c ? $" at ({c.X} {c.Y})" : "";
        if (options.InvalidGeometries == InvalidGeometryPolicy.Reject)
            return GeometryCheck.Reject($"invalid {geometry.GeometryType}: {validity.Message}{where}");
        var fixedGeometry = GeometryFixer.Fix(geometry);
        return fixedGeometry.IsEmpty
            ? GeometryCheck.Reject($"invalid {geometry.GeometryType} ({validity.Message}{where}) that cannot be repaired")
            : new GeometryCheck(fixedGeometry, null, true);
    }

    /// <summary>The first coordinate that is not a finite longitude/latitude, described; null when all are.</summary>
    private static string? OutOfRange(Geometry geometry)
    {
        var coordinates = geometry.Coordinates;
        for (var i = 0; i < coordinates.Length; i++)
        {
            var c = coordinates[i];
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || double.IsInfinity(c.Z))
                return $"coordinate {i + 1} ({c.X} {c.Y}) is not a finite number";
            if (c.X is < -180 or > 180 || c.Y is < -90 or > 90)
                return $"coordinate {i + 1} ({c.X} {c.Y}) is outside longitude -180..180 / latitude -90..90; the axes may be swapped or the CRS wrong";
        }
        return null;
    }
}
