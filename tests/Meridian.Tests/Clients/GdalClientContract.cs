using System.Text.Json.Nodes;
using Meridian.Tests.Features;
using static Meridian.Tests.Features.Cql2DatasetServer;

namespace Meridian.Tests.Clients;

/// <summary>
/// GDAL's OAPIF driver, the client QGIS uses too, must work against Meridian unmodified: it lists the
/// collections and reads every feature of a collection by following next links.
/// </summary>
public abstract class GdalClientContract(Cql2DatasetServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private string Url => "OAPIF:" + server.Server.Address.ToString().TrimEnd('/');

    [Fact]
    public async Task Ogrinfo_ListsEveryCollection()
    {
        var result = await ExternalProcess.RunAsync("ogrinfo", ["-ro", "-q", Url], Timeout);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(Countries, result.Output);
        Assert.Contains(Places, result.Output);
        Assert.Contains(Rivers, result.Output);
    }

    [Theory]
    [InlineData(Places, 243)]
    [InlineData(Countries, 177)]
    [InlineData(Rivers, 13)]
    public async Task Ogr2ogr_ReadsEveryFeatureThroughPaging(string collection, int expected)
    {
        using var directory = new TempDirectory();
        var output = Path.Combine(directory.Path, "out.geojson");

        // A small page size makes GDAL follow many next links.
        var result = await ExternalProcess.RunAsync("ogr2ogr",
            ["-f", "GeoJSON", output, Url, collection, "-oo", "PAGE_SIZE=20"], Timeout);

        Assert.True(result.ExitCode == 0, result.Error);
        var features = JsonNode.Parse(await File.ReadAllTextAsync(output))!["features"]!.AsArray();
        Assert.Equal(expected, features.Count);
        Assert.Equal(expected, features.Select(f => f!["properties"]!.ToJsonString()).Distinct().Count());
    }

    [Fact]
    public async Task Ogrinfo_SpatialFilter_IsSentAsBbox()
    {
        var result = await ExternalProcess.RunAsync("ogrinfo",
            ["-ro", "-so", Url, Places, "-spat", "-10", "35", "30", "60"], Timeout);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = await Cql2Oracle.CountIntersectingAsync(Places, new NetTopologySuite.Geometries.Envelope(-10, 30, 35, 60));
        Assert.Contains($"Feature Count: {expected}", result.Output);
    }
}

public sealed class GeoPackageGdalClientTests(GeoPackageCql2Server server) : GdalClientContract(server), IClassFixture<GeoPackageCql2Server>;

public sealed class PostGisGdalClientTests(PostGisCql2Server server) : GdalClientContract(server), IClassFixture<PostGisCql2Server>;
