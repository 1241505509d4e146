using System.IO.Compression;
using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.Shapefile;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.Shapefile;

public sealed class ShapefileZipFormatTests
{
    private static readonly IFeatureFormat Format = FeatureFormats.Find("shapefile")!;

    [Theory]
    [InlineData("broken/shapefile_missing_dbf.shp.zip", "'ne_110m_rivers_lake_centerlines' in the archive has no .dbf part")]
    [InlineData("broken/shapefile_missing_shx.shp.zip", "'ne_110m_rivers_lake_centerlines' in the archive has no .shx part")]
    [InlineData("broken/shapefile_only_dbf_no_shp.shp.zip", "has 'ne_110m_rivers_lake_centerlines.dbf' but no 'ne_110m_rivers_lake_centerlines.shp'")]
    [InlineData("broken/shapefile_zip_truncated.shp.zip", "the zip archive is damaged or truncated")]
    [InlineData("broken/empty_zero_bytes.shp.zip", "the zip archive is damaged or truncated")]
    [InlineData("broken/zip_claims_shapefile_contains_only_readme.shp.zip", "holds no Shapefile (.shp); it holds: README.txt")]
    public async Task Open_BrokenArchive_ThrowsSourceFormatExceptionNamingWhatIsWrong(string path, string expected)
    {
        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(TestData.Path(path), format: Format));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MissingPrj_ReadsWithoutACrs()
    {
        var layer = Assert.Single(await ReadDataAsync("broken/shapefile_missing_prj_no_crs.shp.zip"));

        Assert.Null(layer.Layer.Crs);
        Assert.Equal(13, layer.Features.Count);
        Assert.All(layer.Features, f => Assert.IsAssignableFrom<ILineal>(f.Geometry));
    }

    [Fact]
    public async Task Read_WebMercatorShapefile_HasThePrjWktAndMetres()
    {
        var layer = Assert.Single(await ReadDataAsync("formats/ne_50m_admin_0_countries_epsg3857.shp.zip"));

        Assert.Equal(241, layer.Features.Count);
        Assert.Contains("Mercator_Auxiliary_Sphere", layer.Layer.Crs!.Wkt, StringComparison.Ordinal);
        Assert.Null(layer.Layer.Crs.Epsg);
        var france = layer.Features.Single(f => (string?)f.Property("NAME") == "France");
        Assert.InRange(france.Geometry!.EnvelopeInternal.MaxY, 6_000_000, 7_000_000);
    }

    [Fact]
    public async Task Read_Airports_HaveTypedAttributes()
    {
        var layer = Assert.Single(await ReadDataAsync("formats/ne_10m_airports.shp.zip"));
        var first = layer.Features[0];

        Assert.Equal("Sahnewal", first.Property("name"));
        Assert.Equal(9L, first.Property("scalerank"));
        Assert.Equal(8.0, first.Property("natlscale"));
        Assert.Contains("WGS_1984", layer.Layer.Crs!.Wkt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_SeveralShapefilesAndMacMetadata_GivesOneLayerEach()
    {
        using var folder = new TempFolder();
        var source = TestData.Path("formats/ne_110m_rivers_lake_centerlines.shp.zip");
        var path = Rezip(folder, "two.zip", source, name => ["rivers/" + name, "copy/" + name.Replace("ne_110m_rivers_lake_centerlines", "other", StringComparison.Ordinal), "__MACOSX/._" + name]);

        var layers = await ReadAsync(path);

        Assert.Equal(["other", "ne_110m_rivers_lake_centerlines"], layers.Select(l => l.Name));
        Assert.All(layers, l => Assert.Equal(13, l.Features.Count));
    }

    [Fact]
    public async Task Open_ZipSlipEntry_IsRefused()
    {
        using var folder = new TempFolder();
        var path = Rezip(folder, "slip.zip", TestData.Path("formats/ne_110m_rivers_lake_centerlines.shp.zip"), name => [name, "../../evil/" + name]);

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(path));

        Assert.Contains("points outside the archive's folder", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "..", "evil")));
    }

    [Fact]
    public async Task Open_ZipBombByRatio_IsRefused()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "bomb.shp.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            await using var entry = zip.CreateEntry("bomb.dbf", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 50; i++) entry.Write(zeros);
        }

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(path, new SourceOptions { WorkDirectory = folder.Path }));

        Assert.Contains("inflates more than 200 times", error.Message, StringComparison.Ordinal);
        Assert.Equal(["bomb.shp.zip"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Open_MoreThanMaxUnpackedBytes_IsRefused()
    {
        var options = new SourceOptions { MaxUnpackedBytes = 100_000 };

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(TestData.Path("formats/ne_10m_airports.shp.zip"), options));

        Assert.Contains("unpacks to more than 100,000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_DeletesTheUnpackedFolder()
    {
        using var folder = new TempFolder();
        var options = new SourceOptions { WorkDirectory = folder.Path };

        await using (var file = await Format.OpenAsync(TestData.Path("formats/ne_110m_rivers_lake_centerlines.shp.zip"), options, CancellationToken.None))
        {
            Assert.Single(Directory.GetDirectories(folder.Path));
            await foreach (var _ in file.Layers[0].ReadAsync(CancellationToken.None))
            {
            }
        }

        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("UTF-8", 65001)]
    [InlineData("utf8", 65001)]
    [InlineData("1252", 1252)]
    [InlineData("ANSI 1251", 1251)]
    [InlineData("CP437", 437)]
    [InlineData("ISO-8859-1", 28591)]
    [InlineData("88592", 28592)]
    [InlineData("windows-1250", 1250)]
    public void FromCodePageName_KnownNames_GiveTheirCodePage(string name, int codePage)
    {
        Assert.Equal(codePage, ShapefileEncoding.FromCodePageName(name)?.CodePage);
    }

    [Theory]
    [InlineData(0x57, 1252)]
    [InlineData(0xC9, 1251)]
    [InlineData(0x00, 65001)]
    [InlineData(0xF0, 65001)]
    public void Resolve_WithoutCpg_UsesTheLanguageDriverThenUtf8(byte languageDriver, int codePage)
    {
        using var folder = new TempFolder();
        var header = new byte[32];
        header[29] = languageDriver;

        Assert.Equal(codePage, ShapefileEncoding.Resolve(null, folder.Write("test.dbf", header)).CodePage);
    }

    [Fact]
    public async Task Read_Cp1251Attributes_AreDecodedByTheCpg()
    {
        using var folder = new TempFolder();
        var source = TestData.Path("formats/ne_110m_rivers_lake_centerlines.shp.zip");
        var path = Rezip(folder, "cyrillic.zip", source, name => [name], (name, bytes) => name.EndsWith(".cpg", StringComparison.Ordinal)
            ? Encoding.ASCII.GetBytes("1251")
            : name.EndsWith(".dbf", StringComparison.Ordinal) ? ReplaceFirstName(bytes) : bytes);

        var first = Assert.Single(await ReadAsync(path)).Features[0];

        Assert.StartsWith("Волга", (string)first.Property("name")!, StringComparison.Ordinal);
    }

    /// <summary>Writes the first river's name in code page 1251 over its UTF-8 bytes in the .dbf.</summary>
    private static byte[] ReplaceFirstName(byte[] dbf)
    {
        var name = Encoding.UTF8.GetBytes("Brahmaputra");
        var at = dbf.AsSpan().IndexOf(name);
        Assert.True(at > 0, "the river is not in the test file");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Encoding.GetEncoding(1251).GetBytes("Волга").CopyTo(dbf, at);
        return dbf;
    }

    /// <summary>A new zip with each entry of <paramref name="source"/> stored under the names given, optionally with other bytes.</summary>
    private static string Rezip(TempFolder folder, string name, string source, Func<string, string[]> names, Func<string, byte[], byte[]>? content = null)
    {
        var path = Path.Combine(folder.Path, name);
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var buffer = new MemoryStream();
            using (var stream = entry.Open()) stream.CopyTo(buffer);
            var bytes = content?.Invoke(entry.Name, buffer.ToArray()) ?? buffer.ToArray();
            foreach (var target in names(entry.Name))
            {
                using var stream = output.CreateEntry(target).Open();
                stream.Write(bytes);
            }
        }
        return path;
    }
}
