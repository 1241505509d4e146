using Meridian.Ingestion.Formats;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.GeoPackage;

public sealed class GeoPackageFormatTests
{
    private static readonly IFeatureFormat Format = FeatureFormats.Find("gpkg")!;

    [Fact]
    public async Task Open_MultilayerGeoPackage_GivesEveryFeatureTableWithItsCrs()
    {
        var layers = await ReadDataAsync("formats/naturalearth_multilayer.gpkg");

        Assert.Equal(["airports", "countries", "populated_places", "ports", "rivers"], layers.Select(l => l.Name));
        Assert.Equal([891, 177, 243, 1081, 13], layers.Select(l => l.Features.Count));
        Assert.All(layers, l => Assert.Equal(SourceCrs.FromEpsg(4326), l.Layer.Crs));
        Assert.All(layers, l => Assert.Empty(l.Rejected));
        Assert.All(layers.Single(l => l.Name == "rivers").Features, f => Assert.IsAssignableFrom<ILineal>(f.Geometry));
    }

    [Fact]
    public async Task Read_Feature_HasItsPrimaryKeyAsIdAndNotAsProperty()
    {
        var airports = (await ReadDataAsync("formats/naturalearth_multilayer.gpkg")).Single(l => l.Name == "airports");

        Assert.Equal("1", airports.Features[0].Id);
        Assert.DoesNotContain(airports.Features[0].Properties, p => p.Key is "fid" or "geom");
        Assert.Equal(9L, airports.Features[0].Property("scalerank"));
    }

    /// <summary>
    /// GeoPackage 1.3 (table 1) stores a BOOLEAN column as the integers 0 and 1; read as integers, the OGC CQL2 test
    /// dataset's "boolean" column became a bigint in PostGIS, where <c>"boolean" = TRUE</c> is a type mismatch.
    /// </summary>
    [Fact]
    public async Task Read_BooleanColumn_GivesBooleans()
    {
        var places = (await ReadDataAsync("naturalearth/cql2/ne110m4cql2.gpkg")).Single(l => l.Name == "ne_110m_populated_places_simple");

        var values = places.Features.Select(f => f.Property("boolean")).Where(v => v is not null).ToList();
        Assert.Equal(3, values.Count);
        Assert.All(values, v => Assert.IsType<bool>(v));
        Assert.Equal(2, values.Count(v => v is true));
    }

    [Theory]
    [InlineData("broken/empty_zero_bytes.gpkg", "it is empty (0 bytes)")]
    [InlineData("broken/geopackage_truncated.gpkg", "the GeoPackage is truncated: its header says 1,146,880 bytes, the file has 300,000")]
    public async Task Open_BrokenGeoPackage_ThrowsSourceFormatException(string path, string expected)
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(TestData.Path(path), format: Format));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_CorruptPages_ThrowsSourceFormatException()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(TestData.Path("formats/ne_110m_admin_0_countries.gpkg"));
        // Page 2 onwards overwritten: the schema and the data cannot be trusted any more.
        Array.Fill(bytes, (byte)0xA5, 4096, bytes.Length - 4096);

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("corrupt.gpkg", bytes)));

        Assert.Contains("the GeoPackage cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_DoesNotWriteToTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("copy.gpkg", File.ReadAllBytes(TestData.Path("formats/ne_110m_admin_0_countries.gpkg")));
        File.SetAttributes(path, FileAttributes.ReadOnly);

        Assert.Equal(177, Assert.Single(await ReadAsync(path)).Features.Count);
        Assert.Equal(new[] { "copy.gpkg" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        File.SetAttributes(path, FileAttributes.Normal);
    }
}
