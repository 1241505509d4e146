using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class ClipProcessTests
{
    private const string Clip = """{"type": "Polygon", "coordinates": [[[2, -1], [6, -1], [6, 6], [2, 6], [2, -1]]]}""";

    [Fact]
    public async Task Execute_Polygons_IntersectionsKeptAndOutsideDropped()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<ClipProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))", "POLYGON ((10 10, 11 10, 11 11, 10 10))", "POLYGON ((3 1, 4 1, 4 2, 3 1))")}},
             "clip": {{Clip}}}
            """);

        var geometries = ProcessHarness.Geometries(results);
        Assert.Equal(2, geometries.Count);
        GeometryAssert.Near("MULTIPOLYGON (((2 0, 4 0, 4 4, 2 4, 2 0)))", geometries[0], 1e-12);
        GeometryAssert.Near("MULTIPOLYGON (((3 1, 4 1, 4 2, 3 1)))", geometries[1], 1e-12);
    }

    [Fact]
    public async Task Execute_MixedTypes_EachKeepsItsDimension()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<ClipProcess>(), $$"""
            {"input": {{ProcessHarness.Features("LINESTRING (-1 1, 5 1)", "POINT (3 3)")}}, "clip": {{Clip}}}
            """);

        var geometries = ProcessHarness.Geometries(results);
        GeometryAssert.Near("LINESTRING (2 1, 5 1)", geometries[0], 1e-12);
        GeometryAssert.Near("POINT (3 3)", geometries[1], 1e-12);
    }

    [Theory]
    [InlineData("""{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}""", "must be a Polygon")]
    [InlineData("""{"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}""", "not a valid polygon")]
    [InlineData("""{"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [0, 1], [0, 0]]]}""", "outside longitude")]
    [InlineData("42", "missing or not an object")]
    public async Task Execute_BadClip_NamesClip(string clip, string expected)
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<ClipProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (0 0)")}}, "clip": {{clip}}}"""));

        Assert.Equal("clip", error.Input);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
