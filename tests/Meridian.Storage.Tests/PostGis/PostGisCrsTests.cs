using Meridian.Storage.Spatial;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Meridian.Storage.Tests.PostGis;

/// <summary>
/// Every CRS Meridian serves is one PostGIS knows too (ST_Transform needs it in spatial_ref_sys), and both
/// engines put a point at the same place: PostGIS and GeoPackage collections answer alike.
/// </summary>
public sealed class PostGisCrsTests : IAsyncLifetime
{
    private PostGisTestDatabase? _database;

    public async Task InitializeAsync() => _database = await PostGisTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>A position inside the area each CRS is meant for.</summary>
    private static (double Lon, double Lat) Inside(Crs crs) => crs.Srid switch
    {
        > 32600 and < 32661 => (6 * (crs.Srid - 32600) - 183 + 1, 45),
        > 32700 and < 32761 => (6 * (crs.Srid - 32700) - 183 + 1, -45),
        > 25800 and < 25839 => (6 * (crs.Srid - 25800) - 183 + 1, 52),
        27700 => (-1.5, 52.5),
        2056 => (8.2, 46.8),
        31287 => (14, 47.6),
        2154 => (2.5, 46.5),
        5070 or 4269 => (-96, 38),
        _ => (10, 50),
    };

    [Fact]
    public async Task EveryCrs_IsInSpatialRefSys_AndProjNetAgreesWithStTransform()
    {
        await using var connection = new NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        var failures = new List<string>();
        foreach (var crs in CrsRegistry.All.Where(c => !c.IsCrs84))
        {
            var (lon, lat) = Inside(crs);
            await using var command = new NpgsqlCommand(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), srid) AS p FROM spatial_ref_sys WHERE auth_name = 'EPSG' AND auth_srid = $3 AND srid = $3) AS t",
                connection);
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = lon });
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = lat });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = crs.Srid });
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                failures.Add($"{crs.Srid}: not in spatial_ref_sys");
                continue;
            }
            var ours = (Point)crs.FromCrs84(GeometryServices.Factory.CreatePoint(new Coordinate(lon, lat)))!;
            var (x, y) = crs.ToEastNorth(ours.X, ours.Y);
            // A metre where a datum shift is involved (ProjNET applies TOWGS84, PROJ may use a finer method).
            var tolerance = crs.IsGeographic ? 1e-5 : 1.0;
            if (Math.Abs(x - reader.GetDouble(0)) > tolerance || Math.Abs(y - reader.GetDouble(1)) > tolerance)
                failures.Add($"{crs.Srid}: ProjNET ({x}, {y}), PostGIS ({reader.GetDouble(0)}, {reader.GetDouble(1)})");
        }
        Assert.Empty(failures);
    }
}
