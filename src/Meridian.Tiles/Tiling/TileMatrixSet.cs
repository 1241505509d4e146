using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Tiles.Tiling;

/// <summary>
/// A quad-tree tile matrix set of OGC 17-083r4 (2D Tile Matrix Set): matrix 0 has <see cref="MatrixWidth0"/> by
/// <see cref="MatrixHeight0"/> tiles of 256 pixels, each further matrix doubles both, the origin is the top-left
/// corner. Rows count downwards from the top, columns rightwards from the left.
/// </summary>
public sealed class TileMatrixSet
{
    public const int TileSize = 256;

    /// <summary>The standardized rendering pixel size (0.28 mm) that scale denominators are defined with.</summary>
    private const double PixelSize = 0.00028;

    public static readonly TileMatrixSet WebMercatorQuad = new(
        id: "WebMercatorQuad",
        title: "Google Maps Compatible for the World",
        crs: "http://www.opengis.net/def/crs/EPSG/0/3857",
        orderedAxes: ["X", "Y"],
        wellKnownScaleSet: "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        srid: WebMercator.Srid,
        origin: new Coordinate(-WebMercator.Extent, WebMercator.Extent),
        tileSpan0: 2 * WebMercator.Extent,
        matrixWidth0: 1,
        matrixHeight0: 1,
        maxZoom: 24,
        metresPerUnit: 1);

    public static readonly TileMatrixSet WorldCrs84Quad = new(
        id: "WorldCRS84Quad",
        title: "CRS84 for the World",
        crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        orderedAxes: ["Lon", "Lat"],
        wellKnownScaleSet: "http://www.opengis.net/def/wkss/OGC/1.0/GoogleCRS84Quad",
        srid: GeometryServices.Crs84Srid,
        origin: new Coordinate(-180, 90),
        tileSpan0: 180,
        matrixWidth0: 2,
        matrixHeight0: 1,
        maxZoom: 23,
        // One degree of the equator on the WGS 84 ellipsoid's semi-major axis, as the standard computes scales.
        metresPerUnit: 2 * Math.PI * 6378137 / 360);

    public static IReadOnlyList<TileMatrixSet> All { get; } = [WebMercatorQuad, WorldCrs84Quad];

    /// <summary>The set with this id (ids are case-sensitive), or null.</summary>
    public static TileMatrixSet? Find(string id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    private TileMatrixSet(string id, string title, string crs, string[] orderedAxes, string wellKnownScaleSet, int srid,
        Coordinate origin, double tileSpan0, int matrixWidth0, int matrixHeight0, int maxZoom, double metresPerUnit)
    {
        Id = id;
        Title = title;
        Crs = crs;
        OrderedAxes = orderedAxes;
        WellKnownScaleSet = wellKnownScaleSet;
        Srid = srid;
        Origin = origin;
        TileSpan0 = tileSpan0;
        MatrixWidth0 = matrixWidth0;
        MatrixHeight0 = matrixHeight0;
        MaxZoom = maxZoom;
        MetresPerUnit = metresPerUnit;
    }

    public string Id { get; }

    public string Title { get; }

    public string Uri => $"http://www.opengis.net/def/tilematrixset/OGC/1.0/{Id}";

    public string Crs { get; }

    public IReadOnlyList<string> OrderedAxes { get; }

    public string WellKnownScaleSet { get; }

    /// <summary>The SRID tiles are cut in (4326 standing for CRS84, longitude first).</summary>
    public int Srid { get; }

    /// <summary>The top-left corner of every matrix.</summary>
    public Coordinate Origin { get; }

    /// <summary>The width (and height) of one tile of matrix 0, in CRS units.</summary>
    public double TileSpan0 { get; }

    public int MatrixWidth0 { get; }

    public int MatrixHeight0 { get; }

    public int MinZoom => 0;

    public int MaxZoom { get; }

    private double MetresPerUnit { get; }

    public long MatrixWidth(int zoom) => (long)MatrixWidth0 << zoom;

    public long MatrixHeight(int zoom) => (long)MatrixHeight0 << zoom;

    /// <summary>The width (and height) of one tile of a matrix, in CRS units.</summary>
    public double TileSpan(int zoom) => TileSpan0 / Math.Pow(2, zoom);

    public double CellSize(int zoom) => TileSpan(zoom) / TileSize;

    public double ScaleDenominator(int zoom) => CellSize(zoom) * MetresPerUnit / PixelSize;

    /// <summary>The whole area the set covers, in its CRS.</summary>
    public Envelope Bounds => new(Origin.X, Origin.X + MatrixWidth0 * TileSpan0, Origin.Y - MatrixHeight0 * TileSpan0, Origin.Y);

    /// <summary>A tile's bounds in the set's CRS.</summary>
    public Envelope TileBounds(TileAddress tile)
    {
        var span = TileSpan(tile.Zoom);
        var minX = Origin.X + tile.Col * span;
        var maxY = Origin.Y - tile.Row * span;
        return new Envelope(minX, minX + span, maxY - span, maxY);
    }
}
