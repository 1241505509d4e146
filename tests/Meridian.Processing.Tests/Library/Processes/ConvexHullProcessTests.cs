using Meridian.Processing.Library.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class ConvexHullProcessTests
{
    [Fact]
    public async Task Execute_PointsAndLine_OneHullOfAll()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<ConvexHullProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POINT (0 0)", "POINT (2 0)", "POINT (1 1)", "POINT (2 2)", "POINT (0 2)", "LINESTRING (1 -1, 1 3)")}}}
            """);

        GeometryAssert.Near("POLYGON ((1 -1, 2 0, 2 2, 1 3, 0 2, 0 0, 1 -1))", Assert.Single(ProcessHarness.Geometries(results)), 1e-12);
        Assert.Equal(6, (long)ProcessHarness.Properties(results)[0]["features"]!);
    }
}
