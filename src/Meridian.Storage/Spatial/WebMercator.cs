using NetTopologySuite.Geometries;

namespace Meridian.Storage.Spatial;

/// <summary>
/// Spherical Web Mercator (EPSG:3857) in closed form: exact, and far cheaper than a general transform. The
/// projection stretches to infinity at the poles, so latitudes are clamped to the square world it covers.
/// </summary>
public static class WebMercator
{
    public const int Srid = 3857;

    /// <summary>The half-width of the world in metres: the square runs from -Extent to +Extent on both axes.</summary>
    public const double Extent = 20037508.342789244;

    /// <summary>The latitude at which the world becomes square (y = ±Extent).</summary>
    public const double MaxLatitude = 85.05112877980659;

    private const double Radius = 6378137;

    public static double X(double longitude) => Radius * longitude * Math.PI / 180;

    public static double Y(double latitude)
    {
        var clamped = Math.Clamp(latitude, -MaxLatitude, MaxLatitude);
        return Radius * Math.Log(Math.Tan(Math.PI / 4 + clamped * Math.PI / 360));
    }

    public static double Longitude(double x) => x / Radius * 180 / Math.PI;

    public static double Latitude(double y) => Math.Atan(Math.Sinh(y / Radius)) * 180 / Math.PI;

    /// <summary>
    /// A Web Mercator box in CRS84. Both axes map independently and monotonically, so a box stays a box and
    /// the result is exact.
    /// </summary>
    public static Envelope ToCrs84(Envelope box) =>
        new(Longitude(box.MinX), Longitude(box.MaxX), Latitude(box.MinY), Latitude(box.MaxY));

    /// <summary>A CRS84 box in Web Mercator, latitudes clamped to the projection's square.</summary>
    public static Envelope FromCrs84(Envelope box) => new(X(box.MinX), X(box.MaxX), Y(box.MinY), Y(box.MaxY));

    /// <summary>A copy of a CRS84 geometry in Web Mercator, latitudes clamped to the projection's square.</summary>
    public static Geometry FromCrs84(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.Apply(new ProjectFilter());
        copy.SRID = Srid;
        copy.GeometryChanged();
        return copy;
    }

    private sealed class ProjectFilter : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, X(seq.GetX(i)));
            seq.SetY(i, Y(seq.GetY(i)));
        }
    }
}
