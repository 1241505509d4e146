using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;

namespace Meridian.Processing.Library;

/// <summary>
/// Planar buffers with NetTopologySuite's defaults (8 segments a quadrant, round caps and joins: a point's buffer is
/// a 32-gon, as PostGIS's). A point's buffer is built directly: the same vertices NetTopologySuite's buffer builder
/// produces (clockwise from due east, 2π/32 apart, sines and cosines snapped to 0 on the axes), without the noding and graph it spends ~10 µs on per point.
/// </summary>
public static class PlanarBuffer
{
    /// <summary>The vertices of a point's buffer: NetTopologySuite's default 8 segments a quadrant, four quadrants.</summary>
    private const int Segments = 4 * BufferParameters.DefaultQuadrantSegments;

    /// <summary>
    /// Below this ratio of distance to the coordinates' magnitude a circle's vertices come too close for doubles to
    /// keep them apart; such buffers go through NetTopologySuite, which handles the collapse.
    /// </summary>
    private const double MinRelativeDistance = 1e-6;

    private static readonly (double Cos, double Sin)[] Unit = Enumerable.Range(0, Segments)
        .Select(i => -i * (2 * Math.PI / Segments)).Select(a => (AngleUtility.CosSnap(a), AngleUtility.SinSnap(a))).ToArray();

    public static Geometry Of(Geometry geometry, double distance)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry is Point { IsEmpty: false } point && distance > MinRelativeDistance * Math.Max(1, Math.Max(Math.Abs(point.X), Math.Abs(point.Y))))
            return Circle(point, distance);
        return geometry.Buffer(distance);
    }

    private static Polygon Circle(Point centre, double radius)
    {
        var ring = new Coordinate[Segments + 1];
        for (var i = 0; i < Segments; i++) ring[i] = new Coordinate(centre.X + radius * Unit[i].Cos, centre.Y + radius * Unit[i].Sin);
        ring[Segments] = ring[0].Copy();
        var factory = centre.Factory;
        return factory.CreatePolygon(factory.CreateLinearRing(ring));
    }
}
