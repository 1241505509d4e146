using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.IO;

namespace Meridian.Storage.Tests;

/// <summary>The small dataset the store contracts load: five places in id order 1..5 and a sixth without geometry or values.</summary>
public static class TestPlaces
{
    public static readonly WKTReader Wkt = new(GeometryServices.Factory.GeometryServices);

    public static readonly IReadOnlyList<PropertySchema> Properties =
    [
        new("name", PropertyType.String),
        new("population", PropertyType.Integer),
        new("area", PropertyType.Number),
        new("capital", PropertyType.Boolean),
        new("observed", PropertyType.DateTime),
        new("founded", PropertyType.Date),
    ];

    /// <summary>Apia's population is negative on purpose: vector tiles encode negative integers differently.</summary>
    public static IReadOnlyList<FeatureRecord> All =>
    [
        Place("POINT (2.35 48.85)", "Paris", 2_100_000, 105.4, true, "2020-01-01T00:00:00Z", "0300-01-01"),
        Place("POINT (4.83 45.76)", "Lyon", 513_000, 47.87, false, "2021-06-15T12:00:00Z", "0043-10-09"),
        Place("POINT (13.4 52.52)", "Berlin", 3_600_000, 891.8, true, "2022-03-01T08:30:00Z", "1237-01-01"),
        Place("POINT (179.5 -17.7)", "Labasa", 27_949, 2.1, false, "2023-01-01T00:00:00Z", "1920-01-01"),
        Place("POINT (-171.8 -13.8)", "Apia", -37_708, 60.0, true, "2024-12-31T23:59:59Z", "1850-01-01"),
        new(null, null, new Dictionary<string, object?>()),
    ];

    private static FeatureRecord Place(string wkt, string name, long population, double area, bool capital, string observed, string founded) =>
        new(null, Wkt.Read(wkt), new Dictionary<string, object?>
        {
            ["name"] = name,
            ["population"] = population,
            ["area"] = area,
            ["capital"] = capital,
            ["observed"] = DateTimeOffset.Parse(observed, System.Globalization.CultureInfo.InvariantCulture),
            ["founded"] = DateOnly.Parse(founded, System.Globalization.CultureInfo.InvariantCulture),
        });
}
