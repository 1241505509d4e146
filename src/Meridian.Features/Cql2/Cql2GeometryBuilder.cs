using Meridian.Storage.Filtering;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Cql2;

/// <summary>
/// Builds the NetTopologySuite geometry of a WKT or GeoJSON literal, checking what NetTopologySuite would
/// otherwise reject with its own exceptions: point counts, closed rings, one dimension for all coordinates.
/// </summary>
/// <param name="crs">The CRS positions are written in (see <see cref="Cql2ParserOptions.Crs"/>); they come out in CRS84.</param>
internal sealed class Cql2GeometryBuilder(Crs crs)
{
    private static readonly GeometryFactory Factory = GeometryServices.Factory;

    private int _dimension;

    /// <summary>Set when the literal declares its dimension (WKT "Z"): every coordinate must then have three.</summary>
    public void RequireDimension(int dimension, SourcePosition position)
    {
        if (_dimension != 0 && _dimension != dimension) throw Mixed(position);
        _dimension = dimension;
    }

    public Coordinate Coordinate(double x, double y, double? z, SourcePosition position)
    {
        var dimension = z is null ? 2 : 3;
        if (_dimension != 0 && _dimension != dimension) throw Mixed(position);
        _dimension = dimension;
        if (!crs.IsCrs84) (x, y) = ToCrs84(crs, x, y, position);
        return z is { } height ? new CoordinateZ(x, y, height) : new Coordinate(x, y);
    }

    /// <summary>A position of the CRS (in its axis order) as CRS84 longitude and latitude.</summary>
    private static (double X, double Y) ToCrs84(Crs crs, double first, double second, SourcePosition position)
    {
        try
        {
            var point = crs.ToCrs84(Factory.CreatePoint(new Coordinate(first, second)));
            return (point.Coordinate.X, point.Coordinate.Y);
        }
        catch (ArgumentException)
        {
            throw Cql2Exception.At(position, $"the position ({first} {second}) lies outside what {crs.Uri} can express");
        }
    }

    /// <summary>BBOX of 4 numbers (west, south, east, north) or 6 (with the lowest and highest heights after the first two).</summary>
    /// <remarks>
    /// In a projected CRS the corners are lower-left and upper-right in metres; the CRS84 box is the one that covers
    /// the projected box (its edges bend in longitude/latitude), crossing the antimeridian where the box does.
    /// </remarks>
    public static BboxLiteral Bbox(IReadOnlyList<double> values, Crs crs, SourcePosition position)
    {
        var (first, second, third, fourth) = values.Count == 4 ? (0, 1, 2, 3) : (0, 1, 3, 4);
        var (west, south) = crs.ToEastNorth(values[first], values[second]);
        var (east, north) = crs.ToEastNorth(values[third], values[fourth]);
        if (!crs.IsGeographic) (west, south, east, north) = ProjectedToCrs84(crs, new Envelope(west, east, south, north), position);
        return values.Count == 4
            ? new BboxLiteral(west, south, east, north) { Position = position }
            : new BboxLiteral(west, south, east, north, values[2], values[5]) { Position = position };
    }

    private static (double West, double South, double East, double North) ProjectedToCrs84(Crs crs, Envelope box, SourcePosition position)
    {
        IReadOnlyList<Envelope> boxes;
        try
        {
            boxes = crs.BoxToCrs84(box);
        }
        catch (ArgumentException)
        {
            throw Cql2Exception.At(position, $"the BBOX lies outside what {crs.Uri} can express");
        }
        var south = boxes.Min(b => b.MinY);
        var north = boxes.Max(b => b.MaxY);
        if (boxes.Count == 1) return (boxes[0].MinX, south, boxes[0].MaxX, north);
        // Two boxes: the part east of the antimeridian's west side and the part west of it; west > east says so.
        var westPart = boxes.First(b => b.MaxX >= 180);
        var eastPart = boxes.First(b => b.MinX <= -180);
        return (westPart.MinX, south, eastPart.MaxX, north);
    }

    public Point Point(Coordinate coordinate) => Factory.CreatePoint(coordinate);

    public LineString LineString(Coordinate[] coordinates, SourcePosition position)
    {
        if (coordinates.Length < 2) throw Cql2Exception.At(position, "a line string needs at least 2 positions");
        return Factory.CreateLineString(coordinates);
    }

    public LinearRing Ring(Coordinate[] coordinates, SourcePosition position)
    {
        if (coordinates.Length < 4) throw Cql2Exception.At(position, "a polygon ring needs at least 4 positions");
        var first = coordinates[0];
        var last = coordinates[^1];
        if (!first.Equals2D(last) || !(double.IsNaN(first.Z) ? double.IsNaN(last.Z) : first.Z.Equals(last.Z)))
        {
            throw Cql2Exception.At(position, "a polygon ring must end where it starts");
        }
        return Factory.CreateLinearRing(coordinates);
    }

    public Polygon Polygon(LinearRing[] rings, SourcePosition position)
    {
        if (rings.Length == 0) throw Cql2Exception.At(position, "a polygon needs at least one ring");
        return Factory.CreatePolygon(rings[0], rings[1..]);
    }

    public MultiPoint MultiPoint(Point[] points) => Factory.CreateMultiPoint(points);

    public MultiLineString MultiLineString(LineString[] lines) => Factory.CreateMultiLineString(lines);

    public MultiPolygon MultiPolygon(Polygon[] polygons) => Factory.CreateMultiPolygon(polygons);

    public GeometryCollection Collection(Geometry[] geometries) => Factory.CreateGeometryCollection(geometries);

    private static Cql2Exception Mixed(SourcePosition position) =>
        Cql2Exception.At(position, "all positions of a geometry must have the same number of coordinates (2, or 3 with Z)");
}
