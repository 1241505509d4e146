using Meridian.Processing.Library.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class CentroidProcessTests
{
    [Fact]
    public async Task Execute_PolygonAndLine_CentroidsInCrs84()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<CentroidProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POLYGON ((0 0, 4 0, 4 2, 0 2, 0 0))", "LINESTRING (0 0, 2 0)")}}}""");

        var geometries = ProcessHarness.Geometries(results);
        GeometryAssert.Near("POINT (2 1)", geometries[0], 1e-12);
        GeometryAssert.Near("POINT (1 0)", geometries[1], 1e-12);
    }
}
