using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class ReprojectProcessTests
{
    [Theory]
    [InlineData("EPSG:3857", "POINT (1113194.9079 6446275.8410)", 1e-3)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", "POINT (1113194.9079 6446275.8410)", 1e-3)]
    // EPSG:4326 is latitude first, but results are written x east, y north.
    [InlineData("EPSG:4326", "POINT (10 50)", 1e-9)]
    [InlineData("EPSG:32632", "POINT (571666.4475 5539109.8153)", 1e-2)]
    public async Task Execute_Point_TransformedEastNorth(string crs, string expected, double tolerance)
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<ReprojectProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (10 50)")}}, "crs": "{{crs}}"}""");

        GeometryAssert.Near(expected, Assert.Single(ProcessHarness.Geometries(results)), tolerance);
    }

    /// <summary>Web Mercator's square ends at ±85.0511°: the poles land on its edge (y = ±20037508.3428 m), not at ±2.4e8 m.</summary>
    [Theory]
    [InlineData("POINT (10 90)", "POINT (1113194.9079 20037508.3428)")]
    [InlineData("POINT (10 -90)", "POINT (1113194.9079 -20037508.3428)")]
    [InlineData("LINESTRING (0 -90, 0 -80)", "LINESTRING (0 -20037508.3428, 0 -15538711.0963)")]
    public async Task Execute_WebMercatorAtThePoles_ClampsOntoTheEdgeOfItsSquare(string input, string expected)
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<ReprojectProcess>(),
            $$"""{"input": {{ProcessHarness.Features(input)}}, "crs": "EPSG:3857"}""");

        GeometryAssert.Near(expected, Assert.Single(ProcessHarness.Geometries(results)), 1e-3);
    }

    [Fact]
    public async Task Execute_UnknownCrs_NamesCrs()
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<ReprojectProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (10 50)")}}, "crs": "EPSG:999999"}"""));

        Assert.Equal("crs", error.Input);
    }
}
