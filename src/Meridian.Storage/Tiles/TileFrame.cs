using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Simplify;

namespace Meridian.Storage.Tiles;

/// <summary>
/// Cuts a store's geometries to one tile, for stores that cannot do it themselves: into the tile's CRS, onto its
/// integer grid (y pointing down, as MVT wants), simplified, clipped to the buffered square and snapped — the
/// same steps as PostGIS's ST_AsMVTGeom, so that both stores draw alike.
/// </summary>
public sealed class TileFrame
{
    private readonly TileRequest _request;
    private readonly Crs84Transform? _storageTransform;
    private readonly bool _sameCrs;
    private readonly Geometry _storageClip;
    private readonly Geometry _gridClip;
    private readonly Envelope _gridBounds;
    private readonly double _scaleX;
    private readonly double _scaleY;
    private readonly double _tolerance;
    private static readonly PrecisionModel Grid = new(1.0);

    /// <param name="storageSrid">The SRID geometries are stored in.</param>
    /// <param name="storageTransform">Storage to CRS84, or null when the store keeps CRS84 (or an undefined geographic CRS).</param>
    public TileFrame(TileRequest request, int storageSrid, Crs84Transform? storageTransform)
    {
        _request = request;
        _storageTransform = storageTransform;
        _sameCrs = storageSrid == request.Srid || (storageTransform is null && request.Srid == GeometryServices.Crs84Srid);
        var buffered = request.BufferedBounds;
        StorageBounds = _sameCrs ? buffered : StorageBox(buffered, request.Srid, storageSrid, storageTransform);
        _storageClip = GeometryServices.Factory.ToGeometry(StorageBounds);
        _scaleX = request.Extent / request.Bounds.Width;
        _scaleY = request.Extent / request.Bounds.Height;
        _gridBounds = new Envelope(-request.Buffer, request.Extent + request.Buffer, -request.Buffer, request.Extent + request.Buffer);
        _gridClip = GeometryServices.Factory.ToGeometry(_gridBounds);
        _tolerance = request.Tolerance * _scaleX;
    }

    /// <summary>The buffered tile in the storage CRS: what a spatial index is asked for.</summary>
    public Envelope StorageBounds { get; }

    /// <summary>
    /// The geometry in grid coordinates, clipped and snapped; null when nothing of it is left in the tile.
    /// Collections keep their highest-dimension parts.
    /// </summary>
    public Geometry? ToGrid(Geometry? geometry)
    {
        if (geometry is null || geometry.IsEmpty) return null;
        if (HighestDimension(geometry) is not { } g) return null;
        if (!_sameCrs)
        {
            // Cut to the tile before transforming: less to transform, and no pole for Mercator to choke on.
            if (!StorageBounds.Contains(g.EnvelopeInternal))
            {
                if (Clip(g, _storageClip, null) is not { } clipped) return null;
                g = clipped;
            }
            if (_storageTransform is not null) g = _storageTransform.ToCrs84(g);
            if (_request.Srid == WebMercator.Srid) g = WebMercator.FromCrs84(g);
        }
        g = g.Copy();
        g.Apply(new ToGridFilter(_request.Bounds.MinX, _request.Bounds.MaxY, _scaleX, _scaleY));
        g.GeometryChanged();
        if (g is IPuntal) return Points(g);
        if (_tolerance > 0) g = DouglasPeuckerSimplifier.Simplify(g, _tolerance);
        return Clip(g, _gridClip, Grid);
    }

    /// <summary>The buffered tile as a box in the storage CRS, by way of CRS84 (kept on the globe, and on the Mercator square).</summary>
    private static Envelope StorageBox(Envelope buffered, int tileSrid, int storageSrid, Crs84Transform? storageTransform)
    {
        var crs84 = tileSrid == WebMercator.Srid ? WebMercator.ToCrs84(buffered) : buffered;
        var maxLatitude = storageSrid == WebMercator.Srid ? WebMercator.MaxLatitude : 90;
        var clamped = new Envelope(Math.Max(crs84.MinX, -180), Math.Min(crs84.MaxX, 180),
            Math.Max(crs84.MinY, -maxLatitude), Math.Min(crs84.MaxY, maxLatitude));
        return storageTransform is null ? clamped : storageTransform.BoxFromCrs84(clamped).EnvelopeInternal;
    }

    /// <summary>Points inside the buffered square, rounded to the grid.</summary>
    private Geometry? Points(Geometry g)
    {
        var kept = new List<Point>();
        for (var i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Point { IsEmpty: false } p || !_gridBounds.Contains(p.X, p.Y)) continue;
            kept.Add(GeometryServices.Factory.CreatePoint(new Coordinate(Math.Round(p.X), Math.Round(p.Y))));
        }
        return kept.Count switch
        {
            0 => null,
            1 => kept[0],
            _ => GeometryServices.Factory.CreateMultiPoint(kept.ToArray()),
        };
    }

    /// <summary>
    /// The part of a line or polygon geometry inside a box, snap-rounded to <paramref name="precision"/> when
    /// given (which keeps polygons valid on the grid); null when nothing of the geometry's own dimension is left.
    /// </summary>
    private static Geometry? Clip(Geometry g, Geometry box, PrecisionModel? precision)
    {
        if (g is IPuntal) return g;
        Geometry result;
        try
        {
            result = Overlay(g, box, precision);
        }
        catch (Exception e) when (e is TopologyException or ArgumentException or InvalidOperationException)
        {
            // Invalid input (self-intersecting rings): repair polygons once, give up on anything else.
            if (g is not IPolygonal) return null;
            try
            {
                result = Overlay(g.Buffer(0), box, precision);
            }
            catch (Exception again) when (again is TopologyException or ArgumentException or InvalidOperationException)
            {
                return null;
            }
        }
        var kept = Parts(result, g.Dimension);
        return kept.IsEmpty ? null : kept;
    }

    private static Geometry Overlay(Geometry g, Geometry box, PrecisionModel? precision) => precision is null
        ? OverlayNGRobust.Overlay(g, box, SpatialFunction.Intersection)
        : OverlayNG.Overlay(g, box, SpatialFunction.Intersection, precision);

    /// <summary>A geometry collection's parts of its highest dimension, as one (multi) geometry.</summary>
    private static Geometry? HighestDimension(Geometry g)
    {
        if (g is not GeometryCollection || g is IPuntal || g is ILineal || g is IPolygonal) return g;
        var dimension = Enumerable.Range(0, g.NumGeometries).Select(i => g.GetGeometryN(i))
            .Where(p => !p.IsEmpty).Select(p => (int)p.Dimension).DefaultIfEmpty(-1).Max();
        if (dimension < 0) return null;
        var parts = Parts(g, (Dimension)dimension);
        return parts.IsEmpty ? null : parts;
    }

    private static Geometry Parts(Geometry g, Dimension dimension)
    {
        var parts = new List<Geometry>();
        Collect(g, dimension, parts);
        var factory = GeometryServices.Factory;
        if (parts.Count == 1) return parts[0];
        return dimension switch
        {
            Dimension.Point => factory.CreateMultiPoint(parts.Cast<Point>().ToArray()),
            Dimension.Curve => factory.CreateMultiLineString(parts.Cast<LineString>().ToArray()),
            _ => factory.CreateMultiPolygon(parts.Cast<Polygon>().ToArray()),
        };
    }

    private static void Collect(Geometry g, Dimension dimension, List<Geometry> parts)
    {
        if (g is GeometryCollection collection)
        {
            foreach (var part in collection.Geometries) Collect(part, dimension, parts);
            return;
        }
        if (!g.IsEmpty && g.Dimension == dimension) parts.Add(g);
    }

    private sealed class ToGridFilter(double minX, double maxY, double scaleX, double scaleY) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, (seq.GetX(i) - minX) * scaleX);
            seq.SetY(i, (maxY - seq.GetY(i)) * scaleY);
        }
    }
}
