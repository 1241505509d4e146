using System.IO.Compression;
using Meridian.Ingestion.Formats;
using Meridian.Testing;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.Kml;

public sealed class KmlFormatTests
{
    private const string Nested = """
        <?xml version="1.0" encoding="UTF-8"?>
        <kml xmlns="http://www.opengis.net/kml/2.2">
          <Document><name>doc</name>
            <Placemark id="p1"><name>top</name><description>first</description>
              <ExtendedData><Data name="rank"><value>3</value></Data><Data name="note"><value>x</value></Data></ExtendedData>
              <Point><coordinates> 1.5,2.5,10 </coordinates></Point></Placemark>
            <Folder><name>A</name><Folder><name>B</name>
              <Placemark><name>square</name><Polygon>
                <outerBoundaryIs><LinearRing><coordinates>0,0 10,0 10,10 0,10 0,0</coordinates></LinearRing></outerBoundaryIs>
                <innerBoundaryIs><LinearRing><coordinates>2,2 3,2 3,3 2,2</coordinates></LinearRing></innerBoundaryIs>
              </Polygon></Placemark>
              <Placemark><name>multi</name><MultiGeometry><LineString><coordinates>0,0 1,1</coordinates></LineString><LineString><coordinates>2,2 3,3</coordinates></LineString></MultiGeometry></Placemark>
              <Placemark><name>mixed</name><MultiGeometry><Point><coordinates>0,0</coordinates></Point><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></MultiGeometry></Placemark>
              <Placemark><name>bad</name><LineString><coordinates>0,0 abc,1</coordinates></LineString></Placemark>
              <Placemark><name>open ring</name><LinearRing><coordinates>0,0 1,0 1,1</coordinates></LinearRing></Placemark>
              <Placemark><name>no geometry</name></Placemark>
            </Folder></Folder>
          </Document>
        </kml>
        """;

    [Fact]
    public async Task Read_PlacemarksInNestedFolders_AreOneLayerInDocumentOrder()
    {
        using var folder = new TempFolder();

        var layer = Assert.Single(await ReadAsync(folder.Write("nested.kml", Nested)));
        var f = layer.Features;

        Assert.Equal("nested", layer.Name);
        Assert.Equal(7, f.Count);
        Assert.Equal("p1", f[0].Id);
        Assert.Equal(new CoordinateZ(1.5, 2.5, 10), f[0].Geometry!.Coordinate);
        Assert.Equal(["name", "description", "rank", "note"], f[0].Properties.Select(p => p.Key));
        Assert.Equal(3L, f[0].Property("rank"));
        Assert.Equal(1, ((Polygon)f[1].Geometry!).NumInteriorRings);
        Assert.IsType<MultiLineString>(f[2].Geometry);
        Assert.IsType<GeometryCollection>(f[3].Geometry);
        Assert.Equal("coordinates: 'abc,1' is not lon,lat[,alt].", f[4].Error);
        Assert.StartsWith("invalid geometry", f[5].Error, StringComparison.Ordinal);
        Assert.Null(f[6].Geometry);
        Assert.Null(f[6].Error);
    }

    [Fact]
    public async Task Read_Airports_HaveSchemaTypedValues()
    {
        var first = Assert.Single(await ReadDataAsync("formats/ne_10m_airports.kml")).Features[0];

        Assert.Equal(9L, first.Property("scalerank"));
        Assert.Equal(8.0, first.Property("natlscale"));
        Assert.Equal("VILD", first.Property("gps_code"));
    }

    [Fact]
    public async Task Read_Kmz_ReadsItsDocKml()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "countries.kmz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(TestData.Path("formats/ne_110m_admin_0_countries.kml"), "doc.kml");
            zip.CreateEntry("files/icon.png");
        }

        var layer = Assert.Single(await ReadAsync(path, new SourceOptions { WorkDirectory = folder.Path }));

        Assert.Equal("countries", layer.Name);
        Assert.Equal(177, layer.Features.Count);
        Assert.Equal(["countries.kmz"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Open_KmzWithoutKml_IsRefused()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "empty.kmz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create)) zip.CreateEntry("readme.txt");

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(path));

        Assert.Contains("holds no .kml document", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!DOCTYPE kml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><kml><Placemark><name>&b;</name></Placemark></kml>", "DTD")]
    [InlineData("<kml><Placemark><name>x</name></Placemark>", "not well-formed XML")]
    [InlineData("<kml><Placemark><name>x</nam></Placemark></kml>", "not well-formed XML")]
    public async Task Read_HostileOrBrokenXml_ThrowsSourceFormatException(string xml, string expected)
    {
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("bad.kml", xml)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_DeeplyNestedMultiGeometry_IsARejectedRecord()
    {
        using var folder = new TempFolder();
        var deep = string.Concat(Enumerable.Repeat("<MultiGeometry>", 100)) + "<Point><coordinates>0,0</coordinates></Point>" + string.Concat(Enumerable.Repeat("</MultiGeometry>", 100));

        var feature = Assert.Single(Assert.Single(await ReadAsync(folder.Write("deep.kml", $"<kml><Placemark>{deep}</Placemark></kml>"))).Features);

        Assert.Contains("nested more than 32 deep", feature.Error, StringComparison.Ordinal);
    }
}
