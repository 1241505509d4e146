using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Storage.Tests.Spatial;

public sealed class RoundedGeoJsonTests
{
    private static string Write(Geometry? geometry, int decimals = 9)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) RoundedGeoJson.Write(writer, geometry, decimals);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Geometry Wkt(string wkt) => new WKTReader(GeometryServices.Factory.GeometryServices).Read(wkt);

    [Theory]
    [InlineData(10, "10")]
    [InlineData(10.5, "10.5")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.1234567894, "0.123456789")]
    [InlineData(0.1234567896, "0.12345679")]
    [InlineData(-179.999999999, "-179.999999999")]
    [InlineData(0.000000001, "0.000000001")]
    [InlineData(-0.0000000001, "0")]
    [InlineData(1.0000000004, "1")]
    [InlineData(45.00000001, "45.00000001")]
    public void Write_Ordinate_RoundedToTheDecimalsWithoutTrailingZeros(double x, string expected)
    {
        Assert.Equal($$"""{"type":"Point","coordinates":[{{expected}},0]}""", Write(GeometryServices.Factory.CreatePoint(new Coordinate(x, 0))));
    }

    [Fact]
    public void Write_ProjectedDecimals_FourPlaces()
    {
        Assert.Equal("""{"type":"Point","coordinates":[500100.1235,-4999980.491]}""",
            Write(GeometryServices.Factory.CreatePoint(new Coordinate(500100.12345678, -4999980.49096779)), decimals: 4));
    }

    /// <summary>12345678.123456789 has 17 significant digits, more than a double holds: its shortest form has 16.</summary>
    [Fact]
    public void Write_OrdinateTooLargeToScale_RoundedInShortestForm()
    {
        Assert.Equal("""{"type":"Point","coordinates":[12345678.12345679,1E+300]}""",
            Write(GeometryServices.Factory.CreatePoint(new Coordinate(12345678.1234567891, 1e300))));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Write_NonFiniteOrdinate_Throws(double x)
    {
        Assert.Throws<ArgumentException>(() => Write(GeometryServices.Factory.CreatePoint(new Coordinate(x, 0))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("POLYGON EMPTY")]
    public void Write_NullOrEmpty_IsJsonNull(string? wkt)
    {
        Assert.Equal("null", Write(wkt is null ? null : Wkt(wkt)));
    }

    /// <summary>Every type reads back as the serializer (NetTopologySuite's converter) writes it: same structure, same values once rounded.</summary>
    [Theory]
    [InlineData("POINT (1.25 2.5)")]
    [InlineData("POINT Z (1 2 3.5)")]
    [InlineData("LINESTRING (0 0, 1.5 1, 2 0.25)")]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 3, 3 3, 2 2))")]
    [InlineData("MULTIPOINT ((1 2), (3 4))")]
    [InlineData("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))")]
    [InlineData("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")]
    [InlineData("GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), POLYGON ((0 0, 1 0, 1 1, 0 0)))")]
    public void Write_EveryType_AsTheSerializerWritesIt(string wkt)
    {
        var geometry = Wkt(wkt);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) GeoJson.Write(writer, geometry);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stream.ToArray()), JsonNode.Parse(Write(geometry))), Write(geometry));
    }

    [Fact]
    public void Write_InsideADocument_IsOneValueAmongOthers()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            RoundedGeoJson.Write(writer, Wkt("POINT (1 2)"), 9);
            RoundedGeoJson.Write(writer, Wkt("LINESTRING (0 0, 1 1)"), 9);
            writer.WriteEndArray();
        }

        Assert.Equal("""[{"type":"Point","coordinates":[1,2]},{"type":"LineString","coordinates":[[0,0],[1,1]]}]""", Encoding.UTF8.GetString(stream.ToArray()));
    }
}
