using Meridian.Ingestion.Formats;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.Gpx;

public sealed class GpxFormatTests
{
    private const string Trip = """
        <?xml version="1.0"?>
        <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" xmlns:x="urn:x">
          <wpt lat="46.5" lon="6.6"><ele>372</ele><time>2024-05-01T10:00:00Z</time><name>Lausanne</name><desc>lake</desc><sym>Flag</sym>
            <extensions><x:rating>5</x:rating><x:nested><x:deep>1</x:deep></x:nested></extensions></wpt>
          <rte><name>R1</name><rtept lat="46" lon="6"/><rtept lat="47" lon="7"/></rte>
          <rte><name>lonely</name><rtept lat="46" lon="6"/></rte>
          <trk><name>T1</name><trkseg><trkpt lat="1" lon="2"/><trkpt lat="3" lon="4"/></trkseg><trkseg><trkpt lat="5" lon="6"/><trkpt lat="7" lon="8"/></trkseg></trk>
        </gpx>
        """;

    [Fact]
    public async Task Read_Airports_AreWaypointsWithTheirGdalExtensionsAsProperties()
    {
        var layer = Assert.Single(await ReadDataAsync("formats/ne_10m_airports.gpx"));
        var first = layer.Features[0];

        Assert.Equal("waypoints", layer.Name);
        Assert.Equal("Sahnewal", first.Property("name"));
        Assert.Equal("small", first.Property("type"));
        Assert.Equal(9L, first.Property("scalerank"));
        Assert.Equal("VILD", first.Property("gps_code"));
        Assert.Equal(8.0, first.Property("natlscale"));
    }

    [Fact]
    public async Task Read_Ports_Has1081Waypoints()
    {
        Assert.Equal(1081, Assert.Single(await ReadDataAsync("formats/ne_10m_ports.gpx")).Features.Count);
    }

    [Fact]
    public async Task Read_WaypointsRoutesAndTracks_AreThreeLayers()
    {
        using var folder = new TempFolder();

        var layers = await ReadAsync(folder.Write("trip.gpx", Trip));

        Assert.Equal(["waypoints", "routes", "tracks"], layers.Select(l => l.Name));
        var waypoint = Assert.Single(layers[0].Features);
        Assert.Equal(new CoordinateZ(6.6, 46.5, 372), waypoint.Geometry!.Coordinate);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), waypoint.Property("time"));
        Assert.Equal("lake", waypoint.Property("desc"));
        Assert.Equal("Flag", waypoint.Property("sym"));
        Assert.Equal(5L, waypoint.Property("rating"));
        Assert.Null(waypoint.Property("deep"));
        Assert.Equal("LINESTRING (6 46, 7 47)", layers[1].Features[0].Geometry!.AsText());
        Assert.Contains("invalid geometry", layers[1].Features[1].Error, StringComparison.Ordinal);
        Assert.Equal("MULTILINESTRING ((2 1, 4 3), (6 5, 8 7))", Assert.Single(layers[2].Features).Geometry!.AsText());
    }

    [Fact]
    public async Task Open_ExternalEntity_IsRefusedWithoutReadingIt()
    {
        using var folder = new TempFolder();
        var secret = folder.Write("secret.txt", "SECRET");
        var xxe = $"""<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{secret}">]><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="1" lon="2"><name>&x;</name></wpt></gpx>""";

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("xxe.gpx", xxe)));

        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\"><wpt lat=\"1\" lon=\"2\"></gpx>", "not well-formed XML")]
    [InlineData("<gpx version=\"1.0\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/0\"><wpt lat=\"1\" lon=\"2\"/></gpx>", "GPX 1.0 is not read")]
    [InlineData("<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\"></gpx>", "no waypoints, routes or tracks")]
    [InlineData("<gpx version=\"1.1\" creator=\"t\" xmlns=\"http://www.topografix.com/GPX/1/1\"><wpt lat=\"north\" lon=\"2\"/></gpx>", "not valid GPX")]
    public async Task Read_BadGpx_ThrowsSourceFormatException(string xml, string expected)
    {
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("bad.gpx", xml)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_StoppedEarly_ReleasesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("trip.gpx", File.ReadAllBytes(Meridian.Testing.TestData.Path("formats/ne_10m_ports.gpx")));
        await using (var file = await FeatureFormats.Detect(path).OpenAsync(path, new SourceOptions(), CancellationToken.None))
        {
            await foreach (var feature in file.Layers[0].ReadAsync(CancellationToken.None))
            {
                Assert.Equal(1, feature.Record);
                break;
            }
        }

        File.Delete(path);
        Assert.False(File.Exists(path));
    }
}
