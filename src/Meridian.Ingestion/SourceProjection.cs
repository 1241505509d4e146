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
    public static Func<Geometry, Geometry>? For(SourceCrs? crs)
    {
        static Func<Geometry, Geometry>? Registered(int code) =>
            CrsRegistry.FindEpsg(code) is { } known
                ? (known.Srid == GeometryServices.Crs84Srid ? null : known.EastNorthToCrs84)
                : throw new NotSupportedException($"EPSG:{code} is not among the coordinate systems Meridian carries.");

        try
        {
            var transform = crs switch
            {
                null => null,
                { Epsg: { } code } => Registered(code),
                { Wkt: { } wkt } => Crs84Transform.FromWkt(wkt) is { } fromWkt ? fromWkt.ToCrs84 : null,
                _ => null,
            };
            return transform;
        }
        catch (NotSupportedException e)
        {
            throw new IngestException($"the coordinates' CRS ({crs}) is not one Meridian can transform: {e.Message}", e);
        }
    }
}
