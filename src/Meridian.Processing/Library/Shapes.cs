using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library;

/// <summary>Fits results to a collection's declared geometry type: operations change types (a clipped polygon may become a multipolygon).</summary>
public static class Shapes
{
    private static readonly GeometryFactory Factory = GeometryServices.Factory;

    /// <summary>The multi type of a kind, which holds any result of an operation on that kind; Geometry stays Geometry.</summary>
    public static GeometryKind Multi(GeometryKind kind) => kind switch
    {
        GeometryKind.Point or GeometryKind.MultiPoint => GeometryKind.MultiPoint,
        GeometryKind.LineString or GeometryKind.MultiLineString => GeometryKind.MultiLineString,
        GeometryKind.Polygon or GeometryKind.MultiPolygon => GeometryKind.MultiPolygon,
        _ => GeometryKind.Geometry,
    };

    /// <summary>
    /// The parts of <paramref name="geometry"/> of the kind's dimension, as that kind (a single part for a single
    /// kind, the multi form otherwise); null when nothing of that dimension is left. Geometry takes anything non-empty.
    /// </summary>
    public static Geometry? Coerce(Geometry? geometry, GeometryKind kind)
    {
        if (geometry is null || geometry.IsEmpty) return null;
        var parts = Parts(geometry).Where(p => !p.IsEmpty).ToList();
        Geometry? result = kind switch
        {
            GeometryKind.Point or GeometryKind.LineString or GeometryKind.Polygon when parts.Count == 1 && parts[0].OgcGeometryType.ToString() == kind.ToString() => parts[0],
            GeometryKind.Point or GeometryKind.LineString or GeometryKind.Polygon => null,
            GeometryKind.MultiPoint => Of(parts.OfType<Point>().ToArray(), Factory.CreateMultiPoint),
            GeometryKind.MultiLineString => Of(parts.OfType<LineString>().ToArray(), Factory.CreateMultiLineString),
            GeometryKind.MultiPolygon => Of(parts.OfType<Polygon>().ToArray(), Factory.CreateMultiPolygon),
            _ => geometry,
        };
        if (result is not null) result.SRID = geometry.SRID;
        return result;
    }

    private static Geometry? Of<T>(T[] parts, Func<T[], Geometry> create) => parts.Length == 0 ? null : create(parts);

    private static IEnumerable<Geometry> Parts(Geometry geometry)
    {
        if (geometry is not GeometryCollection collection)
        {
            yield return geometry;
            yield break;
        }
        for (var i = 0; i < collection.NumGeometries; i++)
        {
            foreach (var part in Parts(collection.GetGeometryN(i))) yield return part;
        }
    }
}
