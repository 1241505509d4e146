namespace Meridian.Storage.Schema;

/// <summary>The geometry type a collection declares (GeoPackage and PostGIS use the same names).</summary>
public enum GeometryKind
{
    Geometry,
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    GeometryCollection,
}

public static class GeometryKinds
{
    /// <summary>Parses a type name as GeoPackage, PostGIS and OGC write it ("POINT", "MultiPolygon", "ST_Point").</summary>
    public static GeometryKind Parse(string? name)
    {
        var n = (name ?? "").Trim().ToUpperInvariant();
        if (n.StartsWith("ST_", StringComparison.Ordinal)) n = n[3..];
        // PostGIS reports measured/3D variants as POINTZ, POINTM, POINTZM.
        n = n.TrimEnd('M', 'Z');
        return n switch
        {
            "POINT" => GeometryKind.Point,
            "LINESTRING" => GeometryKind.LineString,
            "POLYGON" => GeometryKind.Polygon,
            "MULTIPOINT" => GeometryKind.MultiPoint,
            "MULTILINESTRING" => GeometryKind.MultiLineString,
            "MULTIPOLYGON" => GeometryKind.MultiPolygon,
            "GEOMETRYCOLLECTION" => GeometryKind.GeometryCollection,
            _ => GeometryKind.Geometry,
        };
    }

    /// <summary>The name GeoPackage's gpkg_geometry_columns and PostGIS typmods use.</summary>
    public static string ToSqlName(this GeometryKind kind) => kind.ToString().ToUpperInvariant();
}
