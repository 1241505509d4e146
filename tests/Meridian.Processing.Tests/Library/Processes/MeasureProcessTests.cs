using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class MeasureProcessTests
{
    [Fact]
    public async Task Execute_Geodesic_AreaAndLengthOnTheSphere()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<MeasureProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "LINESTRING (0 0, 0 1)")}}}
            """);

        var features = ProcessHarness.Properties(results);
        // R² · Δλ · (sin φ₂ − sin φ₁) for the one-degree cell at the equator, R = 6,371,008.8 m.
        Assert.Equal(12_363_718_145.18, (double)features[0]["area"]!, 1);
        Assert.Equal(444_763.385, (double)features[0]["length"]!, 2);
        Assert.Equal(0, (double)features[1]["area"]!);
        Assert.Equal(111_195.080, (double)features[1]["length"]!, 2);
        Assert.Equal(2, (long)results["summary"]!["count"]!);
        Assert.Equal(444_763.385 + 111_195.080, (double)results["summary"]!["length"]!["sum"]!, 0.01);
    }

    [Fact]
    public async Task Execute_InAProjectedCrs_PlanarInItsUnits()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<MeasureProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")}}, "crs": "EPSG:3857"}
            """);

        var feature = Assert.Single(ProcessHarness.Properties(results));
        Assert.Equal(12_392_658_216.37, (double)feature["area"]!, 1e4);
        Assert.Equal(445_289.267, (double)feature["length"]!, 2);
    }

    [Fact]
    public async Task Execute_GeographicCrs_NamesCrs()
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<MeasureProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (0 0)")}}, "crs": "EPSG:4326"}"""));

        Assert.Equal("crs", error.Input);
    }
}
