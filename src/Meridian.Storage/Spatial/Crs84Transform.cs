using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;


namespace Meridian.Storage.Spatial;

/// <summary>
/// Moves geometries between a store's SRID and CRS84 with ProjNET, for stores that cannot transform
/// themselves (GeoPackage). EPSG:4326 as GeoPackage and PostGIS store it is already longitude-first.
/// </summary>
public sealed class Crs84Transform
{
    private readonly MathTransform _toCrs84;
    private readonly MathTransform _fromCrs84;

    /// <summary>
    /// The latitudes the target CRS can express: Web Mercator ends at ±85.0511°, and every projection
    /// misbehaves at the poles, so boxes are clipped to this band before they are projected.
    /// </summary>
    private readonly double _maxLatitude;

    private Crs84Transform(CoordinateSystem source, double maxLatitude = 89.9999)
    {
        _maxLatitude = maxLatitude;
        var factory = new CoordinateTransformationFactory();
        _toCrs84 = factory.CreateFromCoordinateSystems(source, GeographicCoordinateSystem.WGS84).MathTransform;
        _fromCrs84 = factory.CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, source).MathTransform;
    }

    /// <summary>
    /// The transform for an SRID, or null when none is needed. Throws <see cref="NotSupportedException"/>
    /// when the definition is missing or ProjNET cannot read it.
    /// </summary>
    public static Crs84Transform? For(int srid, string? wktDefinition)
    {
        if (srid is 4326 or 0 or -1) return null; // 0 and -1 are GeoPackage's "undefined" geographic/cartesian
        if (srid == 3857) return new Crs84Transform(ProjectedCoordinateSystem.WebMercator, 85.05112878);
        if (string.IsNullOrWhiteSpace(wktDefinition) || wktDefinition.Trim() == "undefined")
            throw new NotSupportedException($"SRID {srid} has no coordinate system definition.");
        try
        {
            PolarStereographicProjection.Register();
            var cs = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wktDefinition);
            return new Crs84Transform(cs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new NotSupportedException($"SRID {srid}: cannot read its definition ({e.Message}).", e);
        }
    }

    /// <summary>
    /// The transform for a CRS given only as WKT (a Shapefile's .prj), or null when it is WGS 84 longitude/latitude.
    /// Throws <see cref="NotSupportedException"/> when ProjNET cannot read it.
    /// </summary>
    public static Crs84Transform? FromWkt(string wkt)
    {
        try
        {
            var cs = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
            return cs is GeographicCoordinateSystem geographic && geographic.EqualParams(GeographicCoordinateSystem.WGS84) ? null : new Crs84Transform(cs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new NotSupportedException($"cannot read the WKT definition ({e.Message}).", e);
        }
    }

    public Geometry ToCrs84(Geometry geometry) => Apply(geometry, _toCrs84, GeometryServices.Crs84Srid);

    /// <summary>A CRS84 geometry in the target CRS, for stores that write what they cannot transform themselves.</summary>
    public Geometry FromCrs84(Geometry geometry, int srid) => Apply(geometry, _fromCrs84, srid);

    public Envelope ToCrs84(Envelope envelope) => Apply(ToPolygon(envelope), _toCrs84, 4326).EnvelopeInternal;

    /// <summary>A CRS84 box as a polygon in the target CRS, clipped to the latitudes the CRS can express.</summary>
    public Geometry BoxFromCrs84(Envelope envelope) => Apply(ToPolygon(ClipLatitudes(envelope)), _fromCrs84, 0);

    private Envelope ClipLatitudes(Envelope e) =>
        new(e.MinX, e.MaxX, Math.Clamp(e.MinY, -_maxLatitude, _maxLatitude), Math.Clamp(e.MaxY, -_maxLatitude, _maxLatitude));

    /// <summary>A box as a polygon with extra vertices along its edges, so that it bends correctly when projected.</summary>
    public static Geometry ToPolygon(Envelope e) =>
        NetTopologySuite.Densify.Densifier.Densify(GeometryServices.Factory.ToGeometry(e), Math.Max(e.Width, e.Height) / 16 + 1e-12);

    private static Geometry Apply(Geometry geometry, MathTransform transform, int srid)
    {
        var copy = geometry.Copy();
        copy.Apply(new CoordinateFilter(transform));
        copy.SRID = srid;
        copy.GeometryChanged();
        return copy;
    }

    private sealed class CoordinateFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
