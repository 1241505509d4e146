using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class GridProcessTests
{
    [Fact]
    public async Task Execute_Squares_CountsAndSumsPerCell()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<GridProcess>(), $$"""
            {"input": {{ProcessHarness.Features(("POINT (0.001 0.001)", """{"v": 2}"""), ("POINT (0.002 0.002)", """{"v": 4}"""), ("POINT (-0.001 0.001)", """{"v": 1}"""))}},
             "shape": "square", "size": 1000, "property": "v"}
            """);

        var cells = ProcessHarness.Properties(results);
        Assert.Equal([("-1_0", 1L), ("0_0", 2L)], cells.Select(c => ((string)c["cell"]!, (long)c["count"]!)));
        Assert.Equal(3.0, (double)cells[1]["v_avg"]!);
        // The 1 km Web Mercator square at the origin, in CRS84.
        GeometryAssert.Near("POLYGON ((0 0, 0.008983152841 0, 0.008983152841 0.008983152804, 0 0.008983152804, 0 0))",
            ProcessHarness.Geometries(results)[1], 1e-9);
    }

    [Fact]
    public async Task Execute_Hexagons_PointyTopCellAroundTheOrigin()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<GridProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POINT (0 0)", "POINT (0.001 -0.001)", "POINT (0.02 0)")}}, "size": 1000}
            """);

        var cells = ProcessHarness.Properties(results);
        Assert.Equal([("0_0", 2L), ("1_0", 1L)], cells.Select(c => ((string)c["cell"]!, (long)c["count"]!)));
        GeometryAssert.Near("""
            POLYGON ((0.007779638567 -0.004491576416, 0.007779638567 0.004491576416, 0 0.008983152804, -0.007779638567 0.004491576416,
              -0.007779638567 -0.004491576416, 0 -0.008983152804, 0.007779638567 -0.004491576416))
            """, ProcessHarness.Geometries(results)[0], 1e-9);
    }

    [Fact]
    public async Task Execute_SizeTooSmallForTheData_NamesSize()
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<GridProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (0 0)")}}, "size": 0}"""));

        Assert.Equal("size", error.Input);
    }

    [Fact]
    public async Task Execute_FeaturesFarOutsideTheGridCrsArea_NamesCrs()
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<GridProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (3 45)", "POINT (179 0)")}}, "size": 1000, "crs": "http://www.opengis.net/def/crs/EPSG/0/32631"}"""));

        Assert.Equal("crs", error.Input);
    }
}
