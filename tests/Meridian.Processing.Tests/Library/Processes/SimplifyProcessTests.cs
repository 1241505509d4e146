using Meridian.Processing.Library.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class SimplifyProcessTests
{
    [Fact]
    public async Task Execute_DetailsBelowTheTolerance_Removed()
    {
        await using var harness = ProcessHarness.Inline();
        // The middle vertices stray about 0.1 m (1e-6°) from the straight line; the tolerance is 1 m.
        var results = await ProcessHarness.RunAsync(harness.Create<SimplifyProcess>(), $$"""
            {"input": {{ProcessHarness.Features("LINESTRING (0 0, 0.005 0.000001, 0.01 0)", "POLYGON ((0 0, 0.01 0, 0.01 0.01, 0.005 0.010001, 0 0.01, 0 0))")}},
             "tolerance": 1}
            """);

        var geometries = ProcessHarness.Geometries(results);
        GeometryAssert.Near("LINESTRING (0 0, 0.01 0)", geometries[0], 1e-8);
        Assert.Equal(2, geometries[0].NumPoints);
        GeometryAssert.Near("POLYGON ((0 0, 0.01 0, 0.01 0.01, 0 0.01, 0 0))", geometries[1], 1e-8);
        Assert.Equal(5, geometries[1].NumPoints);
    }

    [Fact]
    public async Task Execute_ToleranceLargerThanTheFeature_TopologyKept()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<SimplifyProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 0.001 0, 0.0005 0.0001, 0 0))")}}, "tolerance": 100000}
            """);

        var polygon = Assert.Single(ProcessHarness.Geometries(results));
        Assert.Equal("Polygon", polygon.GeometryType);
        Assert.True(polygon.IsValid);
        Assert.False(polygon.IsEmpty);
    }
}
