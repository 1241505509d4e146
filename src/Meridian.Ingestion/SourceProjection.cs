using Meridian.Ingestion.Formats;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion;

/// <summary>
/// The transform from a file's CRS to CRS84. Files are read in the traditional GIS axis order (x east,
/// y north), as GDAL writes them, whatever axis order the EPSG definition gives.
/// </summary>
internal static class SourceProjection
{
    private const int Wgs84Geographic3D = 4979;

    public static Func<Geometry, Geometry>? For(SourceCrs? crs)
    {
        // EPSG:4979 is WGS 84 with ellipsoidal heights, which GDAL gives 3D GeoPackages and FlatGeobufs made from
        // CRS84 data: the same longitude and latitude as EPSG:4326 (files keep x east), the heights kept as they are.
        static Func<Geometry, Geometry>? Registered(int code) =>
            code == Wgs84Geographic3D ? null
            : CrsRegistry.FindEpsg(code) is { } known
                ? (known.Srid == GeometryServices.Crs84Srid ? null : known.EastNorthToCrs84)
                : throw new NotSupportedException($"EPSG:{code} is not among the coordinate systems Meridian carries.");

        try
        {
            var transform = crs switch
            {
                null => null,
                { Epsg: { } code } => Registered(code),
                { Wkt: { } wkt } => KnownEpsg(wkt) is { } code && CrsRegistry.FindEpsg(code) is not null ? Registered(code) : Crs84Transform.FromWkt(wkt) is { } fromWkt ? fromWkt.ToCrs84 : null,
                _ => null,
            };
            return transform;
        }
        catch (NotSupportedException e)
        {
            throw new IngestException($"the coordinates' CRS ({crs}) is not one Meridian can transform: {e.Message}", e);
        }
    }

    /// <summary>
    /// The EPSG code a WKT definition stands for, when it says so (a top-level AUTHORITY) or is Esri's Web Mercator
    /// (which ProjNET cannot read, and which ArcGIS and many tools write into .prj files); null otherwise.
    /// </summary>
    private static int? KnownEpsg(string wkt)
    {
        if (wkt.Contains("Mercator_Auxiliary_Sphere", StringComparison.OrdinalIgnoreCase)) return 3857;
        // The last AUTHORITY of a WKT 1 definition belongs to the CRS itself; the earlier ones to its parts.
        var at = wkt.LastIndexOf("AUTHORITY[\"EPSG\",", StringComparison.OrdinalIgnoreCase);
        if (at < 0 || wkt.AsSpan(at).IndexOf(']') is var end && end < 0) return null;
        var digits = wkt[(at + "AUTHORITY[\"EPSG\",".Length)..(at + end)].Trim().Trim('"');
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;
    }
}
