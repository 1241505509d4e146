using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Projections;
using ProjNet.CoordinateSystems.Transformations;

namespace Meridian.Storage.Spatial;

/// <summary>
/// Polar Stereographic with a latitude of true scale (EPSG method 9829, "variant B", as WKT 1 writes it with
/// <c>latitude_of_origin</c>), which ProjNET 2.0 lacks: EPSG:3413 (Arctic) and EPSG:3031 (Antarctic) use it.
/// Ellipsoidal formulas of Snyder, Map Projections - A Working Manual (1987), 21-33 to 21-41; the south polar
/// aspect is the north one with latitudes and longitudes negated.
/// </summary>
public sealed class PolarStereographicProjection : MapProjection
{
    public const string ProjectionName = "Polar_Stereographic";

    private readonly double _centralMeridian;
    private readonly bool _south;
    private readonly double _trueScaleFactor;

    public PolarStereographicProjection(IEnumerable<ProjectionParameter> parameters) : this(parameters, null)
    {
    }

    public PolarStereographicProjection(IEnumerable<ProjectionParameter> parameters, MapProjection? inverse) : base(parameters, inverse)
    {
        var trueScale = _Parameters.GetParameterValue("latitude_of_origin", "standard_parallel_1") * Math.PI / 180;
        _centralMeridian = _Parameters.GetParameterValue("central_meridian", "longitude_of_origin") * Math.PI / 180;
        _south = trueScale < 0;
        var phiC = Math.Abs(trueScale);
        var e = _e;
        // ρ = a·m(φc)·t(φ)/t(φc); at the pole itself m/t degenerates into the limit used with a scale factor.
        _trueScaleFactor = Math.Abs(phiC - Math.PI / 2) < 1e-10
            ? 2 * scale_factor / Math.Sqrt(Math.Pow(1 + e, 1 + e) * Math.Pow(1 - e, 1 - e))
            : Math.Cos(phiC) / Math.Sqrt(1 - e * e * Math.Sin(phiC) * Math.Sin(phiC)) / T(phiC);
    }

    private static int _registered;

    /// <summary>Registers the projection with ProjNET, so that WKT naming it can be read; once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0) ProjectionsRegistry.Register(ProjectionName, typeof(PolarStereographicProjection));
    }

    public override MathTransform Inverse() =>
        _inverse ??= new PolarStereographicProjection(_Parameters.ToProjectionParameter(), this);

    protected override void RadiansToMeters(ref double lon, ref double lat)
    {
        var sign = _south ? -1 : 1;
        var rho = _semiMajor * _trueScaleFactor * T(sign * lat);
        var theta = lon - _centralMeridian;
        (lon, lat) = (rho * Math.Sin(theta), -sign * rho * Math.Cos(theta));
    }

    protected override void MetersToRadians(ref double x, ref double y)
    {
        var sign = _south ? -1 : 1;
        var t = Math.Sqrt(x * x + y * y) / (_semiMajor * _trueScaleFactor);
        var phi = Math.PI / 2 - 2 * Math.Atan(t);
        for (var i = 0; i < 15; i++)
        {
            var sin = _e * Math.Sin(phi);
            var next = Math.PI / 2 - 2 * Math.Atan(t * Math.Pow((1 - sin) / (1 + sin), _e / 2));
            var done = Math.Abs(next - phi) < 1e-12;
            phi = next;
            if (done) break;
        }
        var lon = _centralMeridian + Math.Atan2(x, -sign * y);
        (x, y) = (Math.IEEERemainder(lon, 2 * Math.PI), sign * phi);
    }

    /// <summary>Snyder's t: tan(π/4 − φ/2) over the ellipsoid's correction, for a latitude in the north polar aspect.</summary>
    private double T(double phi)
    {
        var sin = _e * Math.Sin(phi);
        return Math.Tan(Math.PI / 4 - phi / 2) / Math.Pow((1 - sin) / (1 + sin), _e / 2);
    }
}
