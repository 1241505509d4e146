using Meridian.Ingestion.Formats;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.FlatGeobuf;

public sealed class FlatGeobufFormatTests
{
    private static readonly IFeatureFormat Format = FeatureFormats.Find("flatgeobuf")!;

    [Fact]
    public async Task Read_PopulatedPlaces_SkipsTheIndexAndReadsEveryPoint()
    {
        var layer = Assert.Single(await ReadDataAsync("formats/ne_10m_populated_places.fgb"));
        var first = layer.Features[0];

        Assert.Equal("ne_10m_populated_places", layer.Name);
        Assert.Equal(SourceCrs.FromEpsg(4326), layer.Layer.Crs);
        Assert.Equal(7343, layer.Features.Count);
        Assert.Empty(layer.Rejected);
        Assert.All(layer.Features, f => Assert.IsType<Point>(f.Geometry));
        Assert.Equal("AmundseniScott South Pole Station", first.Property("NAME"));
        Assert.Equal(-90, first.Geometry!.Coordinate.Y, 6);
    }

    [Fact]
    public async Task Read_Countries_HaveTypedProperties()
    {
        var france = Assert.Single(await ReadDataAsync("formats/ne_110m_admin_0_countries.fgb")).Features.Single(f => (string?)f.Property("NAME") == "France");

        Assert.Equal("FRA", france.Property("ADM0_A3"));
        Assert.IsType<long>(france.Property("POP_EST") is double d ? (long)d : france.Property("POP_EST"));
        Assert.Equal(3, ((MultiPolygon)france.Geometry!).NumGeometries);
    }

    [Theory]
    [InlineData(4, "is not FlatGeobuf version 3")]
    [InlineData(10, "it ends inside the size of header")]
    [InlineData(100, "it ends inside the header")]
    [InlineData(20_000, "the FlatGeobuf file is truncated")]
    public async Task Open_Truncated_ThrowsSourceFormatException(int length, string expected)
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(TestData.Path("formats/ne_110m_admin_0_countries.fgb"))[..length];

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("cut.fgb", bytes), format: Format));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TruncatedAmongFeatures_YieldsTheWholeOnesThenFails()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(TestData.Path("formats/ne_110m_admin_0_countries.fgb"));
        var path = folder.Write("cut.fgb", bytes[..(bytes.Length - 1000)]);
        var read = new List<SourceFeature>();

        var error = await Assert.ThrowsAsync<SourceFormatException>(async () =>
        {
            await using var file = await Format.OpenAsync(path, new SourceOptions(), CancellationToken.None);
            await foreach (var feature in file.Layers[0].ReadAsync(CancellationToken.None)) read.Add(feature);
        });

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.InRange(read.Count, 170, 176);
        Assert.All(read, f => Assert.Null(f.Error));
    }
}
