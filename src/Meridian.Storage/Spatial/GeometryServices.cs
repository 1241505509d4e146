using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Spatial;

/// <summary>The one NetTopologySuite geometry factory of the process (CRS84, floating precision).</summary>
public static class GeometryServices
{
    public const int Crs84Srid = 4326;

    public static readonly GeometryFactory Factory =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(), Crs84Srid);
}
