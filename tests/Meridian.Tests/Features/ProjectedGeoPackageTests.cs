using System.Text.Json.Nodes;
using Meridian.Tests.Clients;
using Meridian.Tests.Composition;
using NetTopologySuite.Geometries;

namespace Meridian.Tests.Features;

/// <summary>
/// A GeoPackage stored in Web Mercator (made by GDAL) is served in CRS84 or, asked for, in its storage CRS, and
/// bboxes select the same features.
/// </summary>
public sealed class ProjectedGeoPackageTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private MeridianServer? _server;

    public async Task InitializeAsync()
    {
        var file = Path.Combine(_directory.Path, "mercator.gpkg");
        var ogr = await ExternalProcess.RunAsync("ogr2ogr", ["-f", "GPKG", "-t_srs", "EPSG:3857", file,
            TestData.Path("naturalearth/cql2/ne110m4cql2.gpkg"), Cql2DatasetServer.Places], TimeSpan.FromMinutes(1));
        Assert.True(ogr.ExitCode == 0, ogr.Error);
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:GeoPackages:0"] = file,
            ["Meridian:Data"] = Path.Combine(_directory.Path, "data"),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(-180, -90, 180, 90)]
    [InlineData(0, 40, 20, 60)]
    [InlineData(170, -90, -170, 90)]
    [InlineData(-75, -60, -30, 15)]
    public async Task Items_Bbox_MatchesTheSameFeaturesAsInCrs84(double west, double south, double east, double north)
    {
        Envelope[] boxes = west <= east
            ? [new Envelope(west, east, south, north)]
            : [new Envelope(west, 180, south, north), new Envelope(-180, east, south, north)];
        var expected = await Cql2Oracle.CountIntersectingAsync(Cql2DatasetServer.Places, boxes);

        var page = JsonNode.Parse(await _server!.Client.GetStringAsync(
            $"/collections/{Cql2DatasetServer.Places}/items?limit=1000&bbox={west},{south},{east},{north}"))!;

        Assert.Equal(expected, page["numberMatched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(0, 40, 20, 60)]
    [InlineData(-75, -60, -30, 15)]
    public async Task Items_SpatialFilter_MatchesTheSameFeaturesAsInCrs84(double west, double south, double east, double north)
    {
        var expected = await Cql2Oracle.CountIntersectingAsync(Cql2DatasetServer.Places, new Envelope(west, east, south, north));
        var filter = Uri.EscapeDataString($"S_INTERSECTS(geom, BBOX({west}, {south}, {east}, {north})) AND NOT S_DISJOINT(geom, BBOX({west}, {south}, {east}, {north}))");

        var page = JsonNode.Parse(await _server!.Client.GetStringAsync($"/collections/{Cql2DatasetServer.Places}/items?limit=1000&filter={filter}"))!;

        Assert.Equal(expected, page["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public async Task Items_CoordinatesComeBackInCrs84()
    {
        var oracle = (await Cql2Oracle.FeaturesAsync(Cql2DatasetServer.Places))
            .ToDictionary(f => (string)Cql2Oracle.Property(f, "name")!, f => f.Geometry!.Coordinate);

        var page = JsonNode.Parse(await _server!.Client.GetStringAsync($"/collections/{Cql2DatasetServer.Places}/items?limit=50"))!;

        foreach (var feature in page["features"]!.AsArray())
        {
            var xy = feature!["geometry"]!["coordinates"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var expected = oracle[feature["properties"]!["name"]!.GetValue<string>()];
            Assert.Equal(expected.X, xy[0], 5);
            Assert.Equal(expected.Y, xy[1], 5);
        }
    }

    [Fact]
    public async Task Collection_StorageCrsIsWebMercator()
    {
        var collection = JsonNode.Parse(await _server!.Client.GetStringAsync($"/collections/{Cql2DatasetServer.Places}"))!;

        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/3857", collection["storageCrs"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("[EPSG:3857]")]
    [InlineData("[EPSG:32631]")]
    public async Task Items_InAProjectedCrs_MatchTheTransformedSource(string crs)
    {
        var target = Meridian.Storage.Spatial.CrsRegistry.TryParse(crs, out var parsed) ? parsed : throw new InvalidOperationException(crs);
        var oracle = (await Cql2Oracle.FeaturesAsync(Cql2DatasetServer.Places))
            .ToDictionary(f => (string)Cql2Oracle.Property(f, "name")!, f => f.Geometry!);

        var page = JsonNode.Parse(await _server!.Client.GetStringAsync($"/collections/{Cql2DatasetServer.Places}/items?limit=50&crs={crs}"))!;

        foreach (var feature in page["features"]!.AsArray())
        {
            var xy = feature!["geometry"]!["coordinates"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var expected = target.FromCrs84(oracle[feature["properties"]!["name"]!.GetValue<string>()])!.Coordinate;
            Assert.Equal(expected.X, xy[0], 0.01);
            Assert.Equal(expected.Y, xy[1], 0.01);
        }
    }
}
