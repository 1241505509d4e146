using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace Meridian.Storage.Spatial;

/// <summary>
/// A coordinate reference system features can be served and queried in (OGC API - Features Part 2): its URI,
/// the EPSG code stores know it by, its axis order and, for transforms in process, its ProjNET definition.
/// Instances come from <see cref="CrsRegistry"/>; they are immutable and shared.
/// </summary>
public sealed class Crs
{
    /// <summary>Latitudes are kept inside this band before projecting: every projection misbehaves at a pole.</summary>
    private const double MaxLatitude = 89.99999;

    /// <summary>
    /// The band output coordinates are clamped to: <see cref="MaxLatitude"/>, or Web Mercator's own ±85.0511° for
    /// EPSG:3857. Beyond it y runs off to ±infinity (Antarctica's -90° is y = -2.4e8 m where PROJ, and so PostGIS's
    /// ST_Transform, stop), which no map can show; clamping onto the edge of the square world is what web maps do
    /// (Leaflet's and OpenLayers' EPSG:3857 projections, Meridian's tiles), and keeps a feature at the pole visible on
    /// that edge rather than dropping it.
    /// </summary>
    private readonly double _outputMaxLatitude;

    private const int EdgeVertices = 32;

    private readonly Lazy<(MathTransform FromCrs84, MathTransform ToCrs84)>? _transforms;

    internal Crs(string uri, int srid, bool northingFirst, bool isGeographic, Func<CoordinateSystem>? definition)
    {
        Uri = uri;
        Srid = srid;
        NorthingFirst = northingFirst;
        IsGeographic = isGeographic;
        _outputMaxLatitude = srid == WebMercator.Srid ? WebMercator.MaxLatitude : MaxLatitude;
        // CRS84 and EPSG:4326 share their coordinates (only the axis order differs): no transform to build.
        if (srid != GeometryServices.Crs84Srid && definition is not null)
            _transforms = new Lazy<(MathTransform, MathTransform)>(() => CreateTransforms(definition()));
    }

    /// <summary>The identifying URI, e.g. <c>http://www.opengis.net/def/crs/EPSG/0/3857</c>.</summary>
    public string Uri { get; }

    /// <summary>The EPSG code (the SRID of PostGIS and GeoPackage); CRS84 has 4326's, as stores keep both alike.</summary>
    public int Srid { get; }

    /// <summary>
    /// Whether the first axis points north (latitude or northing), as EPSG defines for 4326, 4258, 3035 and others:
    /// coordinates are then swapped on the way out and in, since stores always keep x east and y north.
    /// </summary>
    public bool NorthingFirst { get; }

    /// <summary>Whether coordinates are degrees of latitude and longitude rather than metres.</summary>
    public bool IsGeographic { get; }

    /// <summary>Whether coordinates are CRS84's longitude, latitude: what stores keep in EPSG:4326 and their fast paths write.</summary>
    public bool IsCrs84 => Srid == GeometryServices.Crs84Srid && !NorthingFirst;

    /// <summary>Decimals worth writing: 1e-9 degree and 0.1 mm are both far below any survey's precision.</summary>
    public int Decimals => IsGeographic ? 9 : 4;

    /// <summary>The value of the <c>Content-Crs</c> response header.</summary>
    public string ContentCrsHeader => $"<{Uri}>";

    public override string ToString() => Uri;

    /// <summary>A position given in this CRS's axis order, as (east or longitude, north or latitude).</summary>
    public (double X, double Y) ToEastNorth(double first, double second) => NorthingFirst ? (second, first) : (first, second);

    /// <summary>
    /// A copy of a CRS84 geometry in this CRS, in its axis order and rounded to <see cref="Decimals"/>; null when a
    /// coordinate cannot be expressed in it (far outside the area a projection covers).
    /// </summary>
    public Geometry? FromCrs84(Geometry geometry)
    {
        if (IsCrs84) return geometry;
        var filter = new OutputFilter(_transforms?.Value.FromCrs84, NorthingFirst, Decimals, IsGeographic ? null : _outputMaxLatitude);
        var copy = geometry.Copy();
        copy.Apply(filter);
        copy.SRID = Srid;
        copy.GeometryChanged();
        return filter.Failed ? null : copy;
    }

    /// <summary>
    /// A copy of a geometry given in this CRS (in its axis order) in CRS84: for query geometries such as a CQL2
    /// filter's with <c>filter-crs</c>. Throws <see cref="ArgumentException"/> when a coordinate has no CRS84 position.
    /// </summary>
    public Geometry ToCrs84(Geometry geometry) => ToCrs84(geometry, NorthingFirst);

    /// <summary>
    /// Like <see cref="ToCrs84(Geometry)"/> for a geometry kept x east, y north whatever the CRS's axis order: as
    /// stores keep them, and as files written by GDAL and most GIS software hold them.
    /// </summary>
    public Geometry EastNorthToCrs84(Geometry geometry) => ToCrs84(geometry, swap: false);

    private Geometry ToCrs84(Geometry geometry, bool swap)
    {
        if (_transforms is null && !swap) return geometry;
        var filter = new InputFilter(_transforms?.Value.ToCrs84, swap);
        var copy = geometry.Copy();
        copy.Apply(filter);
        copy.SRID = GeometryServices.Crs84Srid;
        copy.GeometryChanged();
        if (filter.Failed) throw new ArgumentException($"The geometry lies outside the area {Uri} can express.", nameof(geometry));
        return copy;
    }

    /// <summary>
    /// A box of this projected CRS (x east, y north) as the CRS84 boxes that cover it: its edges are densified,
    /// since straight lines in a projection are curves in longitude and latitude; a box around a pole reaches it
    /// over every longitude; a box across the antimeridian becomes two. Throws <see cref="ArgumentException"/> when
    /// part of the box has no CRS84 position.
    /// </summary>
    public IReadOnlyList<Envelope> BoxToCrs84(Envelope box)
    {
        var toCrs84 = _transforms?.Value.ToCrs84 ?? throw new InvalidOperationException($"{Uri} is geographic: its boxes need no projection.");
        var (minLat, maxLat) = (double.MaxValue, double.MinValue);
        var longitudes = new List<double>();
        var pastTheWorldsEdge = false;
        foreach (var (x, y) in Ring(box))
        {
            var (lon, lat) = Apply(toCrs84, x, y);
            if (!IsLongitudeLatitude(lon, lat))
            {
                if (!IsPastTheWorldsEdge(x, y, lon, lat))
                    throw new ArgumentException($"The box reaches outside the area {Uri} can express.", nameof(box));
                pastTheWorldsEdge = true;
            }
            longitudes.Add(lon);
            (minLat, maxLat) = (Math.Min(minLat, lat), Math.Max(maxLat, lat));
        }
        // A cylindrical projection's x grows with longitude: a box past ±180 covers up to the edge, and nothing wraps.
        if (pastTheWorldsEdge) return [new Envelope(Math.Max(-180, longitudes.Min()), Math.Min(180, longitudes.Max()), minLat, maxLat)];
        if (Contains(box, 90)) return [new Envelope(-180, 180, minLat, 90)];
        if (Contains(box, -90)) return [new Envelope(-180, 180, -90, maxLat)];
        return LongitudeRanges(longitudes).Select(r => new Envelope(r.West, r.East, minLat, maxLat)).ToList();
    }

    /// <summary>
    /// Whether a position east or west of the world in a cylindrical projection (Mercator's x past ±20,037,508 m)
    /// came back as a longitude past ±180 that projects to the same place: a box reaching there, as a zoomed-out map
    /// asks, still selects what it covers. Far outside a transverse projection the inverse is noise, which fails here.
    /// </summary>
    private bool IsPastTheWorldsEdge(double x, double y, double lon, double lat)
    {
        if (!double.IsFinite(lon) || Math.Abs(lon) <= 180 || Math.Abs(lat) > 90) return false;
        var (backX, backY) = Apply(_transforms!.Value.FromCrs84, lon, lat);
        return Math.Abs(backX - x) <= 1e-6 * Math.Max(1, Math.Abs(x)) && Math.Abs(backY - y) <= 1e-6 * Math.Max(1, Math.Abs(y));
    }

    /// <summary>Whether the box holds a pole (it has a position in azimuthal projections, none in cylindrical ones).</summary>
    private bool Contains(Envelope box, double poleLatitude)
    {
        var (x, y) = Apply(_transforms!.Value.FromCrs84, 0, poleLatitude);
        return double.IsFinite(x) && double.IsFinite(y) && box.Contains(x, y);
    }

    private static IEnumerable<(double X, double Y)> Ring(Envelope box)
    {
        (double X, double Y)[] corners = [(box.MinX, box.MinY), (box.MaxX, box.MinY), (box.MaxX, box.MaxY), (box.MinX, box.MaxY)];
        for (var c = 0; c < 4; c++)
        {
            var (from, to) = (corners[c], corners[(c + 1) % 4]);
            for (var i = 0; i < EdgeVertices; i++)
            {
                var t = (double)i / EdgeVertices;
                yield return (from.X + (to.X - from.X) * t, from.Y + (to.Y - from.Y) * t);
            }
        }
    }

    /// <summary>
    /// The longitudes a closed ring spans: walked without jumps of more than 180°, so that a ring across the
    /// antimeridian spans past ±180 and is split there.
    /// </summary>
    private static IEnumerable<(double West, double East)> LongitudeRanges(List<double> ring)
    {
        var (west, east, previous) = (ring[0], ring[0], ring[0]);
        foreach (var lon in ring.Skip(1))
        {
            var unwrapped = lon + 360 * Math.Round((previous - lon) / 360);
            (west, east, previous) = (Math.Min(west, unwrapped), Math.Max(east, unwrapped), unwrapped);
        }
        if (east - west >= 360) return [(-180, 180)];
        var shift = 360 * Math.Floor((west + 180) / 360);
        (west, east) = (west - shift, east - shift);
        return east <= 180 ? [(west, east)] : [(west, 180), (-180, east - 360)];
    }

    /// <summary>A transformed position, or NaNs where ProjNET cannot compute one (it throws at some singular points).</summary>
    private static (double X, double Y) Apply(MathTransform transform, double x, double y)
    {
        try
        {
            return transform.Transform(x, y);
        }
        catch (ArgumentException)
        {
            return (double.NaN, double.NaN);
        }
    }

    private static bool IsLongitudeLatitude(double lon, double lat) => Math.Abs(lon) <= 180 + 1e-9 && Math.Abs(lat) <= 90 + 1e-9;

    private static (MathTransform, MathTransform) CreateTransforms(CoordinateSystem definition)
    {
        var factory = new CoordinateTransformationFactory();
        return (factory.CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, definition).MathTransform,
            factory.CreateFromCoordinateSystems(definition, GeographicCoordinateSystem.WGS84).MathTransform);
    }

    /// <summary>
    /// CRS84 to this CRS: project, swap the axes if north comes first, round. Every CRS served is horizontal, so heights
    /// are not transformed; they are rounded like x and y, as PostGIS's ST_AsGeoJSON rounds every ordinate.
    /// </summary>
    private sealed class OutputFilter(MathTransform? transform, bool swap, int decimals, double? maxLatitude) : ICoordinateSequenceFilter
    {
        public bool Failed { get; private set; }
        public bool Done => Failed;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = (seq.GetX(i), seq.GetY(i));
            if (maxLatitude is { } max) y = Math.Clamp(y, -max, max);
            if (transform is not null) (x, y) = Apply(transform, x, y);
            if (!double.IsFinite(x) || !double.IsFinite(y)) Failed = true;
            if (swap) (x, y) = (y, x);
            seq.SetX(i, Math.Round(x, decimals));
            seq.SetY(i, Math.Round(y, decimals));
            if (seq.HasZ) seq.SetZ(i, Math.Round(seq.GetZ(i), decimals));
        }
    }

    /// <summary>This CRS to CRS84: swap the axes if north comes first, unproject.</summary>
    private sealed class InputFilter(MathTransform? transform, bool swap) : ICoordinateSequenceFilter
    {
        public bool Failed { get; private set; }
        public bool Done => Failed;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = (seq.GetX(i), seq.GetY(i));
            if (swap) (x, y) = (y, x);
            if (transform is not null) (x, y) = Apply(transform, x, y);
            if (!IsLongitudeLatitude(x, y)) Failed = true;
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
