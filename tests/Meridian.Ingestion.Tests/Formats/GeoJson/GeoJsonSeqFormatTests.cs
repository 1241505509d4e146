using System.Text;
using Meridian.Ingestion.Formats;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.GeoJson;

public sealed class GeoJsonSeqFormatTests
{
    private const string Point = """{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"n":1}}""";

    [Fact]
    public async Task Read_RecordSeparatedSequence_ReadsEveryFeature()
    {
        using var folder = new TempFolder();
        var path = folder.Write("points.geojsons", $"\u001e{Point}\n\u001e{Point}\n");

        var layer = Assert.Single(await ReadAsync(path));

        Assert.Equal("geojsonseq", Meridian.Ingestion.Formats.FeatureFormats.Detect(path).Name);
        Assert.Equal([1L, 2], layer.Features.Select(f => f.Record));
        Assert.All(layer.Features, f => Assert.Equal(new Coordinate(1, 2), f.Geometry!.Coordinate));
    }

    [Fact]
    public async Task Read_PrettyPrintedRecordSeparatedSequence_ReadsEachFeatureWhole()
    {
        using var folder = new TempFolder();
        var pretty = Point.Replace(",", ",\n  ", StringComparison.Ordinal);
        var path = folder.Write("pretty.geojsons", $"\u001e{pretty}\n\u001e{pretty}\n\u001e{{\"broken\":\n");

        var layer = Assert.Single(await ReadAsync(path));

        Assert.Equal(3, layer.Features.Count);
        Assert.All(layer.Features.Take(2), f => Assert.Equal(1L, f.Property("n")));
        Assert.Contains("not valid JSON", layer.Features[2].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BadLines_AreRejectedRecordsAndTheRestIsRead()
    {
        using var folder = new TempFolder();
        var text = "\uFEFF" + Point + "\r\n\r\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\"\n" + "not json\n" +
                   """{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}""" + "\n   \n" + Point;

        var layer = Assert.Single(await ReadAsync(folder.Write("mixed.geojsonl", text)));

        Assert.Equal([1L, 2, 3, 4, 5], layer.Features.Select(f => f.Record));
        Assert.Equal([2L, 3, 4], layer.Rejected.Select(f => f.Record));
        Assert.Contains("not valid JSON", layer.Features[2].Error, StringComparison.Ordinal);
        Assert.Contains("invalid geometry", layer.Features[3].Error, StringComparison.Ordinal);
        Assert.Equal(1L, layer.Features[4].Property("n"));
    }

    [Fact]
    public async Task Read_LinesAcrossTheBufferBoundary_AreReadWhole()
    {
        using var folder = new TempFolder();
        var big = """{"type":"Feature","geometry":null,"properties":{"s":"PAD"}}""".Replace("PAD", new string('x', 70_000), StringComparison.Ordinal);
        var text = string.Join("\n", Enumerable.Repeat(big, 5));

        var layer = Assert.Single(await ReadAsync(folder.Write("big.ndjson", text)));

        Assert.Equal(5, layer.Features.Count);
        Assert.All(layer.Features, f => Assert.Equal(70_000, ((string)f.Property("s")!).Length));
    }

    [Fact]
    public async Task Read_Airports_HaveTypedProperties()
    {
        var layer = Assert.Single(await ReadDataAsync("formats/ne_10m_airports.geojsonl"));

        Assert.Equal(9L, layer.Features[0].Property("scalerank"));
        Assert.Equal(8.0, layer.Features[0].Property("natlscale"));
        Assert.Null(layer.Layer.Crs);
    }

    [Fact]
    public async Task Read_RandomBytesAfterAFeature_AreRejectedRecordsOnly()
    {
        using var folder = new TempFolder();
        var random = new Random(42);
        var bytes = new byte[20_000];
        random.NextBytes(bytes);
        var path = folder.Write("noise.geojsonl", [.. Encoding.UTF8.GetBytes(Point + "\n"), .. bytes]);

        var layer = Assert.Single(await ReadAsync(path));

        Assert.Null(layer.Features[0].Error);
        Assert.All(layer.Features.Skip(1), f => Assert.NotNull(f.Error));
    }
}
