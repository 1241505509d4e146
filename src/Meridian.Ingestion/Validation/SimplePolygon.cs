using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Validation;

/// <summary>
/// Recognises the commonest valid polygon cheaply: one ring of a few vertices that meets itself nowhere (a square,
/// a hexagon, a parcel). NetTopologySuite's IsValidOp builds a noding graph for every polygon it checks — the largest
/// part of validating a file of small polygons, and much code for the JIT in a short ingest.
/// <para>
/// Why it is exact: a closed ring whose consecutive vertices turn at every vertex (no repeated point, no spike) and
/// whose non-adjacent segments are disjoint is a simple closed curve, so a polygon of that shell and no holes is valid
/// in IsValidOp's terms. The turns and crossings are decided by NetTopologySuite's own robust orientation predicate.
/// It only ever says "valid": any doubt (a collinear turn, segments that touch, holes, many vertices) returns false
/// and IsValidOp decides, so what is rejected or repaired, and the message, stay IsValidOp's.
/// </para>
/// </summary>
internal static class SimplePolygon
{
    // The pairwise segment test is quadratic; larger rings are IsValidOp's (whose cost grows as n log n).
    private const int MaxSegments = 32;

    public static bool IsCertainlyValid(Polygon polygon)
    {
        if (polygon.NumInteriorRings != 0 || polygon.IsEmpty) return false;
        // For the default coordinate sequences this is the ring's own array, not a copy.
        var ring = polygon.ExteriorRing.Coordinates;
        var segments = ring.Length - 1;
        if (segments is < 3 or > MaxSegments || !ring[0].Equals2D(ring[segments])) return false;
        for (var i = 0; i < segments; i++)
        {
            var before = ring[i == 0 ? segments - 1 : i - 1];
            if (Orientation.Index(before, ring[i], ring[i + 1]) == OrientationIndex.Collinear) return false;
        }
        for (var i = 0; i < segments - 2; i++)
        {
            // Segment i's neighbours are i - 1 and i + 1 (the first and the last segment meet at the closing point).
            var last = i == 0 ? segments - 1 : segments;
            for (var j = i + 2; j < last; j++)
            {
                if (MayMeet(ring[i], ring[i + 1], ring[j], ring[j + 1])) return false;
            }
        }
        return true;
    }

    /// <summary>False only when the segments p and q certainly have no point in common.</summary>
    private static bool MayMeet(Coordinate p1, Coordinate p2, Coordinate q1, Coordinate q2)
    {
        if (Math.Max(p1.X, p2.X) < Math.Min(q1.X, q2.X) || Math.Max(q1.X, q2.X) < Math.Min(p1.X, p2.X)
            || Math.Max(p1.Y, p2.Y) < Math.Min(q1.Y, q2.Y) || Math.Max(q1.Y, q2.Y) < Math.Min(p1.Y, p2.Y))
            return false;
        var (a, b) = (Orientation.Index(p1, p2, q1), Orientation.Index(p1, p2, q2));
        var (c, d) = (Orientation.Index(q1, q2, p1), Orientation.Index(q1, q2, p2));
        // A collinear point within the other's bounds may touch it: doubt, so IsValidOp decides.
        if (a == OrientationIndex.Collinear || b == OrientationIndex.Collinear || c == OrientationIndex.Collinear || d == OrientationIndex.Collinear)
            return true;
        return a != b && c != d;
    }
}
