using System.Text.Json.Nodes;
using Meridian.Processing.Library;
using Meridian.Processing.Library.Processes;
using Meridian.Processing.Processes;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Objects;
using Meridian.Storage.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Library;

public sealed class FeatureOutputsTests(PostGisFixture postGis) : IClassFixture<PostGisFixture>
{
    [Fact]
    public async Task Write_GeoJsonFileOfAJob_KeyedByTheJob()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<CentroidProcess>(),
            $$"""{"input": {{ProcessHarness.Features("POINT (1 2)", "POINT (3 4)")}}, "output": {"format": "geojson"} }""", jobId: "job42");

        Assert.Equal("processed/jobs/job42/result.geojson", (string)results["result"]!["object"]!);
        Assert.Equal(2, (long)results["result"]!["features"]!);
        await using var stream = await harness.Objects.OpenReadAsync(ObjectKey.Parse("processed/jobs/job42/result.geojson"), CancellationToken.None);
        var file = (await JsonNode.ParseAsync(stream))!;
        Assert.Equal("FeatureCollection", (string)file["type"]!);
        Assert.Equal(2, file["features"]!.AsArray().Count);
    }

    [Fact]
    public async Task Write_GeoPackageFileAndCollection_Both()
    {
        await using var harness = ProcessHarness.Inline();
        var results = await ProcessHarness.RunAsync(harness.Create<CentroidProcess>(), $$"""
            {"input": {{ProcessHarness.Features(("POINT (1 2)", """{"name": "x"}"""))}}, "output": {"format": "gpkg", "collection": "centres"} }
            """);

        Assert.Equal("centres", (string)results["result"]!["collection"]!);
        Assert.Equal("x", (string)Assert.Single(await harness.ReadAsync("centres")).Properties["name"]!);
        var key = ObjectKey.Parse((string)results["result"]!["object"]!);
        using var copy = new TempDirectory();
        var path = Path.Combine(copy.Path, "result.gpkg");
        await using (var stream = await harness.Objects.OpenReadAsync(key, CancellationToken.None))
        await using (var file = File.Create(path))
            await stream.CopyToAsync(file);
        var layer = Assert.Single(await GeoPackageStore.Open(path, NullLogger<GeoPackageStore>.Instance).GetCollectionsAsync(CancellationToken.None));
        Assert.Equal(GeometryKind.Point, layer.Schema.GeometryType);
    }

    [Theory]
    [InlineData("""{"collection": "places"}""", "exists")]
    [InlineData("""{"collection": "../etc"}""", "must start with a letter")]
    [InlineData("""{"format": "shp"}""", "geojson or gpkg")]
    [InlineData("""{"title": "t"}""", "no collection and no format")]
    [InlineData("""{"collection": 5}""", "must be a string")]
    [InlineData("""{"bucket": "x"}""", "'output' must be")]
    [InlineData("[]", "'output' must be")]
    public async Task Parse_BadTarget_NamesOutputBeforeAnyWork(string output, string expected)
    {
        await using var harness = ProcessHarness.Inline();
        await harness.LoadAsync("places", GeometryKind.Point, ("POINT (0 0)", "a", 1));

        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<CentroidProcess>(),
            $$"""{"input": {"collection": "places"}, "output": {{output}}}"""));

        Assert.Equal("output", error.Input);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_InlineOverTheLimit_AsksForAnotherOutput()
    {
        await using var harness = ProcessHarness.Inline();
        var points = Enumerable.Range(0, FeatureOutputs.MaxInlineFeatures + 1).Select(i => $"POINT ({i % 100} {i / 1000})").ToArray();
        await harness.LoadAsync("many", GeometryKind.Point, points.Select(p => (p, "n", 0.0)).ToArray());

        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<CentroidProcess>(),
            """{"input": {"collection": "many"}}"""));

        Assert.Equal("output", error.Input);
    }

    [Fact]
    public async Task Write_FileWhoseFeaturesFailHalfway_NoObjectStored()
    {
        await using var harness = ProcessHarness.PostGis(postGis.Database);
        await harness.LoadAsync("overflowing", GeometryKind.Point, ("POINT (0 0)", "a", 1e300), ("POINT (1 1)", "b", 1));
        // The database fails evaluating the filter (a double overflow) only once the file has been started.
        var error = await Assert.ThrowsAsync<ProcessInputException>(() => ProcessHarness.RunAsync(harness.Create<CentroidProcess>(),
            """{"input": {"collection": "overflowing", "filter": "value * value > 1"}, "output": {"format": "geojson"} }"""));

        Assert.Equal("input", error.Input);
        Assert.Empty(await harness.Objects.ListAsync("processed/", CancellationToken.None).ToListAsync());
    }
}
