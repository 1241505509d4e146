using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;

namespace Meridian.Processing.Tests.Library.Processes;

public sealed class SpatialJoinProcessTests
{
    private static readonly string Points = ProcessHarness.Features(
        ("POINT (1 1)", """{"value": 10}"""),
        ("POINT (0.5 0.5)", """{"value": 20}"""),
        ("POINT (3 1)", """{"value": 5}"""),
        ("POINT (2 1)", """{"value": 1}"""),
        ("POINT (10 10)", """{"value": 100}"""));

    [Fact]
    public async Task Execute_CountsSumsAndAveragesPointsInOrOnEachPolygon()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<SpatialJoinProcess>(), $$"""
            {"input": {{ProcessHarness.Features(("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))", """{"name": "a"}"""), ("POLYGON ((2 0, 4 0, 4 2, 2 2, 2 0))", """{"name": "b"}"""))}},
             "points": {{Points}}, "property": "value"}
            """);

        var polygons = ProcessHarness.Properties(results);
        Assert.Equal(("a", 3L, 31.0), ((string)polygons[0]["name"]!, (long)polygons[0]["count"]!, (double)polygons[0]["value_sum"]!));
        Assert.Equal(31.0 / 3, (double)polygons[0]["value_avg"]!, 9);
        Assert.Equal(("b", 2L, 6.0, 3.0), ((string)polygons[1]["name"]!, (long)polygons[1]["count"]!, (double)polygons[1]["value_sum"]!, (double)polygons[1]["value_avg"]!));
        GeometryAssert.Near("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))", ProcessHarness.Geometries(results)[0], 0);
    }

    [Fact]
    public async Task Execute_PropertyThatIsNotNumeric_NamesProperty()
    {
        await using var harness = ProcessHarness.Inline();
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<SpatialJoinProcess>(), $$"""
            {"input": {{ProcessHarness.Features("POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))")}},
             "points": {{ProcessHarness.Features(("POINT (1 1)", """{"kind": "x"}"""))}}, "property": "kind"}
            """));

        Assert.Equal("property", error.Input);
    }
}
