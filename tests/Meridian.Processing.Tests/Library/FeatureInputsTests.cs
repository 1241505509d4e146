using System.Text;
using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;
using Meridian.Storage.Objects;
using Meridian.Storage.Schema;

namespace Meridian.Processing.Tests.Library;

public sealed class FeatureInputsTests
{
    [Fact]
    public async Task Read_ObjectKey_GeoJsonFromTheObjectStore()
    {
        await using var harness = ProcessHarness.Inline();
        await harness.Objects.PutAsync(ObjectKey.Parse("raw/points.geojson"),
            new MemoryStream(Encoding.UTF8.GetBytes(ProcessHarness.Features("POINT (0 0)", "POINT (2 0)"))), CancellationToken.None);

        var results = await ProcessHarness.RunAsync(harness.Create<ConvexHullProcess>(), """{"input": {"object": "raw/points.geojson"}}""");

        GeometryAssert.Near("LINESTRING (0 0, 2 0)", Assert.Single(ProcessHarness.Geometries(results)), 0);
    }

    [Theory]
    [InlineData("""{"collection": "nope"}""", "no collection 'nope'")]
    [InlineData("""{"collection": "places", "filter": "name ="}""", "filter is not valid")]
    [InlineData("""{"collection": "places", "filter": "nope = 1"}""", "filter is not valid")]
    [InlineData("""{"collection": "places", "filter": 5}""", "CQL2 text")]
    [InlineData("""{"collection": "places", "limit": 5}""", "only 'collection' and 'filter'")]
    [InlineData("""{"collection": ""}""", "non-empty string")]
    [InlineData("""{"object": "raw/missing.geojson"}""", "no object")]
    [InlineData("""{"object": "../secret"}""", "start with '.'")]
    [InlineData("\"places\"", "must be an object")]
    public async Task Read_BadReference_NamesTheInput(string input, string expected)
    {
        await using var harness = ProcessHarness.Inline();
        await harness.LoadAsync("places", GeometryKind.Point, ("POINT (0 0)", "a", 1));

        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<CentroidProcess>(), $$"""{"input": {{input}}}"""));

        Assert.Equal("input", error.Input);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
