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
        var range = new RangeCheck();
        geometry.Apply(range);
        if (range.Problem is { } problem) return GeometryCheck.Reject(problem);
        if (range.BeyondByNoise)
        {
            geometry = geometry.Copy();
            geometry.Apply(new ClampToRange());
        }
        // A point or multipoint of finite coordinates is valid: that is all IsValidOp checks for them, and it is
        // most of a point file's validation cost.
        if (geometry is IPuntal || geometry is Polygon polygon && SimplePolygon.IsCertainlyValid(polygon))
            return new GeometryCheck(geometry, null, false);

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

    /// <summary>
    /// How far past ±180° or ±90° a coordinate may lie and still be taken for the edge: 1e-9° (0.1 mm), the noise
    /// of floating-point arithmetic in data such as Natural Earth's (Fiji reaches 180.00000000000006).
    /// </summary>
    private const double Noise = 1e-9;

    /// <summary>
    /// Finds the first coordinate that is not a finite longitude/latitude (numbered as in <see cref="Geometry.Coordinates"/>),
    /// reading the geometry's own sequences instead of a copy of all its coordinates.
    /// </summary>
    private sealed class RangeCheck : IEntireCoordinateSequenceFilter
    {
        private int _position;

        public string? Problem { get; private set; }

        /// <summary>Some coordinate lies past the range by no more than <see cref="Noise"/>.</summary>
        public bool BeyondByNoise { get; private set; }

        public bool Done => Problem is not null;

        public bool GeometryChanged => false;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count && Problem is null; i++)
            {
                _position++;
                var (x, y) = (seq.GetX(i), seq.GetY(i));
                if (!double.IsFinite(x) || !double.IsFinite(y))
                    Problem = $"coordinate {_position} ({x} {y}) is not a finite number";
                else if (seq.HasZ && double.IsInfinity(seq.GetZ(i)))
                    Problem = $"coordinate {_position} ({x} {y}) has an infinite height";
                else if (Math.Abs(x) > 180 + Noise || Math.Abs(y) > 90 + Noise)
                    Problem = $"coordinate {_position} ({x} {y}) is outside longitude -180..180 / latitude -90..90; the axes may be swapped or the CRS wrong";
                else if (Math.Abs(x) > 180 || Math.Abs(y) > 90)
                    BeyondByNoise = true;
            }
        }
    }

    /// <summary>Puts the coordinates <see cref="RangeCheck"/> let through as noise on the edge of the range.</summary>
    private sealed class ClampToRange : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, Math.Clamp(seq.GetX(i), -180, 180));
                seq.SetY(i, Math.Clamp(seq.GetY(i), -90, 90));
            }
        }
    }
}
