using Meridian.Processing.Library.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class DifferenceProcessTests
{
    [Fact]
    public async Task Execute_SubtractsTheUnionAndDropsWhatIsLeftEmpty()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<DifferenceProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))", "POLYGON ((3 1, 4 1, 4 2, 3 2, 3 1))", "POLYGON ((-5 -5, -4 -5, -4 -4, -5 -4, -5 -5))")}},
             "subtract": {{ProcessHarness.Features("POLYGON ((2 -1, 5 -1, 5 2, 2 2, 2 -1))", "POLYGON ((2 2, 5 2, 5 5, 2 5, 2 2))")}}}
            """);

        var geometries = ProcessHarness.Geometries(results);
        Assert.Equal(2, geometries.Count);
        GeometryAssert.Near("MULTIPOLYGON (((0 0, 2 0, 2 4, 0 4, 0 0)))", geometries[0], 1e-12);
        GeometryAssert.Near("MULTIPOLYGON (((-5 -5, -4 -5, -4 -4, -5 -4, -5 -5)))", geometries[1], 1e-12);
    }

    [Fact]
    public async Task Execute_SubtractingPointsAndPolygons_RemovesThePolygons()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<DifferenceProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))")}},
             "subtract": {{ProcessHarness.Features("POLYGON ((2 -1, 5 -1, 5 5, 2 5, 2 -1))", "POINT (1 1)", "POINT (10 10)")}}}
            """);

        GeometryAssert.Near("MULTIPOLYGON (((0 0, 2 0, 2 4, 0 4, 0 0)))", Assert.Single(ProcessHarness.Geometries(results)), 1e-12);
    }

    [Fact]
    public async Task Execute_InputGeometryCollection_LosesWhatIsSubtractedPartByPart()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<DifferenceProcess>(), $$"""
            {"input": {{ProcessHarness.Features("GEOMETRYCOLLECTION (POINT (3 3), POINT (1 1), POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0)))")}},
             "subtract": {{ProcessHarness.Features("POLYGON ((2 -1, 5 -1, 5 5, 2 5, 2 -1))")}}}
            """);

        GeometryAssert.Near("GEOMETRYCOLLECTION (POINT (1 1), POLYGON ((0 0, 2 0, 2 4, 0 4, 0 0)))", Assert.Single(ProcessHarness.Geometries(results)), 1e-12);
    }
}
