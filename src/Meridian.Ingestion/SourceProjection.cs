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
        try
        {
            var transform = crs switch
            {
                null => null,
                { Epsg: { } code } => Crs84Transform.For(code, null),
                { Wkt: { } wkt } => Crs84Transform.FromWkt(wkt),
                _ => null,
            };
            return transform is null ? null : transform.ToCrs84;
        }
        catch (NotSupportedException e)
        {
            throw new IngestException($"the coordinates' CRS ({crs}) is not one Meridian can transform: {e.Message}", e);
        }
    }
}
