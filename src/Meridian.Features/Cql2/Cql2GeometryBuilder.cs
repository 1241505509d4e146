using Meridian.Storage.Filtering;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Cql2;

/// <summary>
/// Builds the NetTopologySuite geometry of a WKT or GeoJSON literal, checking what NetTopologySuite would
/// otherwise reject with its own exceptions: point counts, closed rings, one dimension for all coordinates.
/// </summary>
/// <param name="latitudeFirst">Positions are written latitude first (see <see cref="Cql2ParserOptions.LatitudeFirst"/>).</param>
internal sealed class Cql2GeometryBuilder(bool latitudeFirst)
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
        if (latitudeFirst) (x, y) = (y, x);
        return z is { } height ? new CoordinateZ(x, y, height) : new Coordinate(x, y);
    }

    /// <summary>BBOX of 4 numbers (west, south, east, north) or 6 (with the lowest and highest heights after the first two).</summary>
    public static BboxLiteral Bbox(IReadOnlyList<double> values, bool latitudeFirst, SourcePosition position)
    {
        var (west, south, east, north) = values.Count == 4 ? (0, 1, 2, 3) : (0, 1, 3, 4);
        if (latitudeFirst) (west, south, east, north) = (south, west, north, east);
        return values.Count == 4
            ? new BboxLiteral(values[west], values[south], values[east], values[north]) { Position = position }
            : new BboxLiteral(values[west], values[south], values[east], values[north], values[2], values[5]) { Position = position };
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
