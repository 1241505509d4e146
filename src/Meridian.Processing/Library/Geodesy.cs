using Meridian.Processing.Processes;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library;

/// <summary>
/// Measures in metres for CRS84 geometries. Operations with a distance (buffer, simplify) run in the UTM zone of
/// the geometry's centre, as PostGIS's geography buffer does for geometries smaller than a zone; areas, lengths
/// and distances are geodesic on the sphere of the Earth's mean radius (within about 0.5% of the ellipsoid's).
/// </summary>
public static class Geodesy
{
    /// <summary>The IUGG mean radius R1, in metres.</summary>
    public const double EarthRadius = 6_371_008.8;

    /// <summary>Half the Earth's circumference: no two places are further apart.</summary>
    public const double MaxDistance = Math.PI * EarthRadius;

    /// <summary>The UTM zone (WGS 84, north or south) of the centre of a CRS84 geometry's envelope.</summary>
    public static Crs UtmZone(Geometry geometry)
    {
        var centre = geometry.EnvelopeInternal.Centre;
        var zone = Math.Clamp((int)Math.Floor((centre.X + 180) / 6) + 1, 1, 60);
        return CrsRegistry.FindEpsg((centre.Y >= 0 ? 32600 : 32700) + zone)!;
    }

    /// <summary>
    /// Applies a planar operation in metres: the geometry goes to its UTM zone and the result comes back to CRS84. A
    /// result the zone cannot take back (a buffer over a pole, or reaching round the globe) is a
    /// <see cref="ProcessInputException"/> naming <paramref name="reachInput"/>, the input that set how far it reaches.
    /// </summary>
    public static Geometry InMetres(Geometry geometry, Func<Geometry, Geometry> operation, string reachInput = FeatureProcess.InputName)
    {
        var zone = UtmZone(geometry);
        var projected = zone.FromCrs84(geometry)
            ?? throw new ProcessInputException(FeatureProcess.InputName, $"A geometry cannot be projected to {zone.Uri} to be measured in metres.");
        var result = operation(projected);
        if (result.IsEmpty) return result;
        try
        {
            return zone.EastNorthToCrs84(result);
        }
        catch (ArgumentException)
        {
            var remedy = reachInput == FeatureProcess.InputName ? "split the geometry" : $"give a smaller '{reachInput}' or split the geometry";
            throw new ProcessInputException(reachInput,
                $"The result around a geometry reaches beyond what its UTM zone {zone.Uri}, where it is computed in metres, can express (over a pole, or too far east or west): {remedy}.");
        }
    }

    /// <summary>The great-circle distance between two CRS84 positions.</summary>
    public static double Distance(Coordinate a, Coordinate b)
    {
        var (φ1, φ2) = (Radians(a.Y), Radians(b.Y));
        var dφ = φ2 - φ1;
        var dλ = Radians(b.X - a.X);
        var h = Math.Sin(dφ / 2) * Math.Sin(dφ / 2) + Math.Cos(φ1) * Math.Cos(φ2) * Math.Sin(dλ / 2) * Math.Sin(dλ / 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The area of the polygons of a CRS84 geometry in square metres (holes subtracted); 0 for points and lines.</summary>
    public static double Area(Geometry geometry) => geometry switch
    {
        Polygon polygon => Math.Abs(RingArea(polygon.ExteriorRing.Coordinates)) - polygon.InteriorRings.Sum(r => Math.Abs(RingArea(r.Coordinates))),
        GeometryCollection collection => collection.Geometries.Sum(Area),
        _ => 0,
    };

    /// <summary>The length of the lines of a CRS84 geometry in metres, or the perimeter of its polygons (every ring).</summary>
    public static double Length(Geometry geometry) => geometry switch
    {
        LineString line => PathLength(line.Coordinates),
        Polygon polygon => PathLength(polygon.ExteriorRing.Coordinates) + polygon.InteriorRings.Sum(r => PathLength(r.Coordinates)),
        GeometryCollection collection => collection.Geometries.Sum(Length),
        _ => 0,
    };

    private static double PathLength(Coordinate[] path)
    {
        var length = 0.0;
        for (var i = 1; i < path.Length; i++) length += Distance(path[i - 1], path[i]);
        return length;
    }

    /// <summary>A ring's signed area on the sphere (Chamberlain and Duquette, "Some algorithms for polygons on a sphere", 2007).</summary>
    private static double RingArea(Coordinate[] ring)
    {
        var sum = 0.0;
        for (var i = 0; i < ring.Length - 1; i++)
        {
            var (a, b) = (ring[i], ring[i + 1]);
            sum += Radians(b.X - a.X) * (2 + Math.Sin(Radians(a.Y)) + Math.Sin(Radians(b.Y)));
        }
        return sum * EarthRadius * EarthRadius / 2;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
