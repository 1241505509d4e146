using System.IO.Compression;
using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Testing;

namespace Meridian.Ingestion.Tests.Formats;

/// <summary>
/// Every reader against damaged input (truncated at every step, random bytes behind a valid signature, bytes
/// flipped at random): it reads, rejects records, or fails with a <see cref="SourceFormatException"/>. Any other
/// exception is a bug.
/// </summary>
public sealed class HostileInputTests
{
    private const string Kml = """
        <?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Schema id="s"><SimpleField name="n" type="int"/></Schema>
        <Placemark><name>a</name><ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="n">5</SimpleData></SchemaData></ExtendedData><Point><coordinates>1,2</coordinates></Point></Placemark>
        <Folder><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Folder>
        </Document></kml>
        """;

    private const string Gpx = """
        <?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">
        <wpt lat="1" lon="2"><ele>3</ele><name>w</name><extensions><a>1</a></extensions></wpt>
        <rte><rtept lat="1" lon="2"/><rtept lat="3" lon="4"/></rte><trk><trkseg><trkpt lat="1" lon="2"/><trkpt lat="3" lon="4"/></trkseg></trk></gpx>
        """;

    public static TheoryData<string, string> Samples() => new()
    {
        { "sample.csv", "broken/csv_lonlat_bad_rows.csv" },
        { "sample.csv", "broken/csv_wkt_bad_rows.csv" },
        { "sample.geojsonl", "text:" + string.Join("\n", File.ReadLines(TestData.Path("formats/ne_10m_airports.geojsonl")).Take(3)) },
        { "sample.kml", "text:" + Kml },
        { "sample.gpx", "text:" + Gpx },
        { "sample.shp.zip", "formats/ne_110m_rivers_lake_centerlines.shp.zip" },
        { "sample.fgb", "formats/ne_110m_admin_0_countries.fgb" },
        { "sample.gpkg", "formats/ne_110m_admin_0_countries.gpkg" },
        { "sample.geojson", "broken/out_of_range_coordinates.geojson" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Read_TruncatedAtEveryStep_ReadsRejectsOrFailsCleanly(string name, string source)
    {
        var bytes = Load(source);
        var format = Detect(name, bytes);
        var step = Math.Max(1, bytes.Length / 60);
        using var folder = new TempFolder();

        for (var length = 0; length < bytes.Length; length += step)
        {
            await AssertReadsOrFailsCleanly(folder, name, bytes[..length], format, $"cut at {length}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Read_RandomlyFlippedBytes_ReadsRejectsOrFailsCleanly(string name, string source)
    {
        var original = Load(source);
        var format = Detect(name, original);
        var random = new Random(name.Length * 7919 + original.Length);
        using var folder = new TempFolder();

        for (var i = 0; i < 40; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 20); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            await AssertReadsOrFailsCleanly(folder, name, bytes, format, $"mutation {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Read_RandomBytesBehindTheSignature_FailsCleanly(string name, string source)
    {
        var original = Load(source);
        var format = Detect(name, original);
        var random = new Random(42);
        using var folder = new TempFolder();

        for (var i = 0; i < 10; i++)
        {
            var bytes = new byte[random.Next(1, 5000)];
            random.NextBytes(bytes);
            // The first 8 bytes of the real file keep the signature, so the reader itself has to cope.
            original.AsSpan(0, Math.Min(8, original.Length)).CopyTo(bytes);
            await AssertReadsOrFailsCleanly(folder, name, bytes, format, $"noise {i}");
        }
    }

    [Fact]
    public async Task Read_HugeCsvField_IsARejectedRowNotAnOutOfMemory()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "huge.csv");
        await using (var writer = new StreamWriter(path))
        {
            await writer.WriteAsync("lon,lat,name\n1,2,\"");
            var chunk = new string('x', 1024 * 1024);
            for (var i = 0; i < 17; i++) await writer.WriteAsync(chunk);
            await writer.WriteAsync("\"\n3,4,ok\n");
        }

        var layer = Assert.Single(await FormatInput.ReadAsync(path));

        Assert.Contains("longer than 16 Mi characters", Assert.Single(layer.Rejected).Error, StringComparison.Ordinal);
        Assert.Equal("ok", layer.Accepted.Last().Property("name"));
    }

    [Fact]
    public async Task Read_ZipOfRandomEntries_FailsCleanly()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "random.shp.zip");
        var random = new Random(3);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var part in new[] { "x.shp", "x.shx", "x.dbf", "x.prj", "x.cpg" })
            {
                var bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
                await using var stream = zip.CreateEntry(part).Open();
                stream.Write(bytes);
            }
        }

        await AssertReadsOrFailsCleanly(folder, "random.shp.zip", File.ReadAllBytes(path), FeatureFormats.Find("shapefile")!, "random parts");
    }

    private static byte[] Load(string source) =>
        source.StartsWith("text:", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(source[5..]) : File.ReadAllBytes(TestData.Path(source));

    /// <summary>The format of the intact sample, which the damaged copies are read with.</summary>
    private static IFeatureFormat Detect(string name, byte[] bytes)
    {
        using var folder = new TempFolder();
        return FeatureFormats.Detect(folder.Write(name, bytes));
    }

    private static async Task AssertReadsOrFailsCleanly(TempFolder folder, string name, byte[] bytes, IFeatureFormat format, string what)
    {
        var path = folder.Write(name, bytes);
        try
        {
            var layers = await FormatInput.ReadAsync(path, new SourceOptions { WorkDirectory = folder.Path }, format);
            Assert.All(layers.SelectMany(l => l.Rejected), f => Assert.False(string.IsNullOrWhiteSpace(f.Error)));
        }
        catch (SourceFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        }
        catch (Exception e)
        {
            Assert.Fail($"{name}, {what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
