using Meridian.Ingestion.Formats;
using NetTopologySuite.Geometries;
using static Meridian.Ingestion.Tests.Formats.FormatInput;

namespace Meridian.Ingestion.Tests.Formats.Csv;

public sealed class CsvFormatTests
{
    [Fact]
    public async Task Read_LonLatBadRows_RejectsEachNamingTheColumn_AndReadsTheRest()
    {
        var layer = Assert.Single(await ReadDataAsync("broken/csv_lonlat_bad_rows.csv"));

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], layer.Features.Select(f => f.Record));
        Assert.Equal(["Paris", "Lima", "Cairo"], layer.Accepted.Select(f => (string?)f.Property("name")));
        Assert.Equal("column 'lon': 'abc' is not a number.", layer.Features[2].Error);
        Assert.Equal("the row has 5 columns where the header has 4.", layer.Features[3].Error);
        Assert.Equal("the row has 3 columns where the header has 4.", layer.Features[4].Error);
        Assert.Equal("column 'name': the quote that opens this field is never closed.", layer.Features[5].Error);
        Assert.Equal(new Coordinate(31.2357, 30.0444), layer.Features[6].Geometry!.Coordinate);
        Assert.Equal(7L, layer.Features[6].Property("id"));
    }

    [Fact]
    public async Task Read_WktBadRows_RejectsEachNamingTheColumn()
    {
        var layer = Assert.Single(await ReadDataAsync("broken/csv_wkt_bad_rows.csv"));

        Assert.Equal(6, layer.Features.Count);
        Assert.Equal(["ok", "empty", "ok"], layer.Accepted.Select(f => (string?)f.Property("name")));
        Assert.Equal(new Coordinate(1, 2), layer.Features[0].Geometry!.Coordinate);
        Assert.Null(layer.Features[4].Geometry);
        Assert.IsType<Polygon>(layer.Features[5].Geometry);
        Assert.All(layer.Features.Skip(1).Take(3), f => Assert.StartsWith("column 'WKT': ", f.Error, StringComparison.Ordinal));
        Assert.Contains("'POIMT (1 2)' is not valid WKT", layer.Features[1].Error, StringComparison.Ordinal);
        Assert.DoesNotContain("WKT", layer.Accepted.First().Properties.Select(p => p.Key));
    }

    [Theory]
    [InlineData("formats/ne_10m_ports.lonlat.csv", 1081)]
    [InlineData("formats/ne_110m_populated_places_simple.lonlat.csv", 243)]
    [InlineData("formats/ne_110m_rivers_lake_centerlines.wkt.csv", 13)]
    public async Task Read_NaturalEarthCsv_ReadsEveryRow(string path, int count)
    {
        var layer = Assert.Single(await ReadDataAsync(path));

        Assert.Equal(count, layer.Features.Count);
        Assert.Empty(layer.Rejected);
        Assert.All(layer.Features, f => Assert.NotNull(f.Geometry));
    }

    [Fact]
    public async Task Read_LonLatAndLatitudeLongitudeColumns_UsesLonLatAndKeepsTheOthers()
    {
        var first = Assert.Single(await ReadDataAsync("formats/ne_110m_populated_places_simple.lonlat.csv")).Features[0];

        Assert.Equal(new Coordinate(12.4533865449718, 41.9032821799601), first.Geometry!.Coordinate);
        Assert.DoesNotContain("lon", first.Properties.Select(p => p.Key));
        Assert.Equal(41.900012226400001, first.Property("latitude"));
        Assert.Equal(8L, first.Property("scalerank"));
        Assert.Equal("Vatican City", first.Property("name"));
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public async Task Read_Delimiter_IsDetectedFromTheHeader(char delimiter)
    {
        using var folder = new TempFolder();
        var d = delimiter.ToString();
        var path = folder.Write("points.csv", $"name{d}Longitude{d}Latitude{d}note\r\n\"a{d} \"\"quoted\"\"\"{d}1.5{d}-2{d}\"two\nlines\"\r\nb{d}3{d}4{d}\r\n");

        var layer = Assert.Single(await ReadAsync(path));

        Assert.Equal(2, layer.Features.Count);
        Assert.Equal($"a{d} \"quoted\"", layer.Features[0].Property("name"));
        Assert.Equal("two\nlines", layer.Features[0].Property("note"));
        Assert.Equal(new Coordinate(1.5, -2), layer.Features[0].Geometry!.Coordinate);
        Assert.Null(layer.Features[1].Property("note"));
    }

    [Fact]
    public async Task Read_ValuesAreTyped_AndByteOrderMarkIsSkipped()
    {
        using var folder = new TempFolder();
        var path = folder.Write("typed.csv", "\uFEFFx,y,int,dec,text,zip,empty,exp\n1,2,-42,3.25,hello,007,,1e3\n");

        var feature = Assert.Single(Assert.Single(await ReadAsync(path)).Features);

        Assert.Equal(["int", "dec", "text", "zip", "empty", "exp"], feature.Properties.Select(p => p.Key));
        Assert.Equal(-42L, feature.Property("int"));
        Assert.Equal(3.25, feature.Property("dec"));
        Assert.Equal("hello", feature.Property("text"));
        Assert.Equal("007", feature.Property("zip"));
        Assert.Null(feature.Property("empty"));
        Assert.Equal(1000.0, feature.Property("exp"));
    }

    [Fact]
    public async Task Read_NoHeader_NumbersColumnsAndFindsTheWkt()
    {
        using var folder = new TempFolder();
        var path = folder.Write("nohead.csv", "1,POINT (3 4),x\n2,\"LINESTRING (0 0, 1 1)\",y\n");

        var layer = Assert.Single(await ReadAsync(path));

        Assert.Equal(2, layer.Features.Count);
        Assert.Equal(1L, layer.Features[0].Property("field_1"));
        Assert.Equal("y", layer.Features[1].Property("field_3"));
        Assert.IsType<LineString>(layer.Features[1].Geometry);
    }

    [Fact]
    public async Task Read_ColumnsGivenAsOptions_AreUsed()
    {
        using var folder = new TempFolder();
        var path = folder.Write("named.csv", "east;north;label\n10,5;20;a\n");

        var options = new SourceOptions { XColumn = "EAST", YColumn = "north", Delimiter = ';' };
        var feature = Assert.Single(Assert.Single(await ReadAsync(path, options)).Features);

        Assert.Equal("column 'east': '10,5' is not a number.", feature.Error);
    }

    [Fact]
    public async Task Open_ManyColumnsWithoutGeometry_NamesTheFirstColumnsOnly()
    {
        using var folder = new TempFolder();
        var header = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"c{i}"));

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("x.csv", header + "\n" + header + "\n"), new SourceOptions()));

        // The message becomes the job's, listed with every job: its length stays bounded.
        Assert.Contains("c0, c1, c2", error.Message, StringComparison.Ordinal);
        Assert.Contains("and 9,980 more", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 1_000, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("a,b,c\n1,2,3\n", null, "no geometry column")]
    [InlineData("lon,lat\n1,2\n", "wkt", "the WKT column 'wkt' is not a column of the file (its columns: lon, lat)")]
    [InlineData("\n\n", null, "the file holds only whitespace")]
    public async Task Open_WithoutUsableGeometryColumns_ThrowsSourceFormatException(string text, string? wktColumn, string expected)
    {
        using var folder = new TempFolder();

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("x.csv", text), new SourceOptions { WktColumn = wktColumn }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnclosedQuoteOnTheLastRow_RejectsOnlyThatRow()
    {
        using var folder = new TempFolder();

        var layer = Assert.Single(await ReadAsync(folder.Write("q.csv", "lon,lat,name\n1,2,ok\n3,4,\"open")));

        Assert.Null(layer.Features[0].Error);
        Assert.Equal("column 'name': the quote that opens this field is never closed.", Assert.Single(layer.Rejected).Error);
    }

    [Fact]
    public async Task Read_Latin1Text_IsRefusedAsNotUtf8()
    {
        using var folder = new TempFolder();
        var latin1 = System.Text.Encoding.Latin1.GetBytes("lon,lat,name\n1,2,Zurich\n3,4,Z\u00fcrich\n");

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => ReadAsync(folder.Write("latin1.csv", latin1)));

        Assert.Contains("the CSV file is not UTF-8", error.Message, StringComparison.Ordinal);
    }
}
