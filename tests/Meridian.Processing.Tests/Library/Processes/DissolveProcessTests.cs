using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;
using Meridian.Storage.Schema;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class DissolveProcessTests(PostGisFixture postGis) : IClassFixture<PostGisFixture>
{
    private static readonly (string, string, double)[] Squares =
    [
        ("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "a", 1),
        ("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))", "a", 2),
        ("POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))", "b", 3),
    ];

    [Theory]
    [InlineData("geopackage")]
    [InlineData("postgis")]
    public async Task Execute_ByProperty_OneFeaturePerValue(string store)
    {
        await using var harness = ProcessHarness.For(store, postGis.Database);
        await harness.LoadAsync("squares", GeometryKind.Polygon, Squares);

        await ProcessHarness.RunAsync(harness.Create<DissolveProcess>(), """
            {"input": {"collection": "squares"}, "by": "name", "output": {"collection": "regions"}}
            """);

        var regions = (await harness.ReadAsync("regions")).OrderBy(r => (string)r.Properties["name"]!).ToList();
        Assert.Equal(["a", "b"], regions.Select(r => (string)r.Properties["name"]!));
        GeometryAssert.Near("MULTIPOLYGON (((0 0, 1 0, 2 0, 2 1, 1 1, 0 1, 0 0)))", regions[0].Geometry, 1e-9);
        GeometryAssert.Near("MULTIPOLYGON (((5 5, 6 5, 6 6, 5 6, 5 5)))", regions[1].Geometry, 1e-9);
    }

    [Theory]
    [InlineData("geopackage")]
    [InlineData("postgis")]
    public async Task Execute_FilteredWithoutBy_OneFeature(string store)
    {
        await using var harness = ProcessHarness.For(store, postGis.Database);
        await harness.LoadAsync("tiles", GeometryKind.Polygon, Squares);

        await ProcessHarness.RunAsync(harness.Create<DissolveProcess>(), """
            {"input": {"collection": "tiles", "filter": {"op": "<", "args": [{"property": "value"}, 3]}}, "output": {"collection": "one"}}
            """);

        GeometryAssert.Near("MULTIPOLYGON (((0 0, 2 0, 2 1, 0 1, 0 0)))", Assert.Single(await harness.ReadAsync("one")).Geometry, 1e-9);
    }

    [Fact]
    public async Task Execute_UnknownByProperty_NamesBy()
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<DissolveProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (0 0)")}}, "by": "nope"}"""));

        Assert.Equal("by", error.Input);
    }
}
