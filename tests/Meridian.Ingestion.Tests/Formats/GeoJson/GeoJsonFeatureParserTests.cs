using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;

namespace Meridian.Ingestion.Tests.Formats.GeoJson;

/// <summary>
/// The one-pass feature parser reads the plain cases itself and leaves every other feature to the document reader;
/// either way a feature must read exactly as the document reader alone reads it.
/// </summary>
public sealed class GeoJsonFeatureParserTests
{
    private const string Props = "\"properties\":{\"name\":\"a\",\"n\":1,\"x\":1.5,\"b\":true,\"z\":null,\"o\":{\"k\":[1,{\"d\":2}]}}";

    private static void AssertSameAsDocumentReader(SourceFeature expected, SourceFeature actual)
    {
        Assert.Equal(expected.Record, actual.Record);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Geometry is null, actual.Geometry is null);
        if (expected.Geometry is not null)
        {
            Assert.Equal(expected.Geometry.GeometryType, actual.Geometry!.GeometryType);
            Assert.True(expected.Geometry.EqualsExact(actual.Geometry), $"{actual.Geometry} is not {expected.Geometry}");
        }
        Assert.Equal(expected.Properties, actual.Properties);
    }

    [Theory]
    [InlineData("{\"type\":\"Feature\",\"id\":7," + Props + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1.5,-2]}}")]
    [InlineData("{\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1e-3]]},\"type\":\"Feature\",\"id\":\"x\\u00e9\"}")]
    [InlineData("{\"type\":\"Feature\",\"bbox\":[0,0,1,1]," + Props + ",\"geometry\":{\"bbox\":[0,0,1,1],\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]}}")]
    [InlineData("{\"type\":\"Feature\",\"properties\":null,\"geometry\":{\"type\":\"MultiPoint\",\"coordinates\":[[1,2]]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1,1]],[[2,2],[3,3]]]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"big\":9223372036854775808,\"neg\":-9223372036854775808,\"e\":1E+2}}")]
    [InlineData("{\"type\":\"Feat\\u0075re\",\"geometry\":null,\"properties\":{\"n\\u00e4me\":\"\\ud83d\\ude00\"}}")]
    public void Plain_features_are_read_in_one_pass_as_the_document_reader_reads_them(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var parsed = new GeoJsonFeatureParser().TryParse(bytes, 3);

        Assert.NotNull(parsed);
        AssertSameAsDocumentReader(GeoJsonReader.ParseFeature(bytes, 3), parsed);
    }

    [Theory]
    // Left to the document reader and the converter, which read them:
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"coordinates\":[1,2],\"type\":\"Point\"}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2,3]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]}]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a\":1},\"properties\":{\"b\":2}}")]
    // Wrong, so rejected by the document reader with its reason:
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1e400,2]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[\"1\",2]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[NaN,2]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{\"big\":1e400}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":[1,2]}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":7,\"coordinates\":[1,2]}}")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":[1,2]}")]
    [InlineData("{\"type\":\"Feature\",\"properties\":{}}")]
    [InlineData("{\"type\":\"feature\",\"geometry\":null}")]
    [InlineData("[\"type\",\"Feature\"]")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,")]
    [InlineData("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a\":1}")]
    [InlineData("")]
    public void Other_and_wrong_features_go_to_the_document_reader(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Null(new GeoJsonFeatureParser().TryParse(bytes, 5));
        AssertSameAsDocumentReader(GeoJsonReader.ParseFeature(bytes, 5), new GeoJsonFeatureParser().Parse(bytes, 5));
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(200, true)]
    public void Deep_nesting_in_properties_reads_as_the_document_reader_reads_it(int depth, bool rejected)
    {
        var json = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"deep\":" + new string('[', depth) + new string(']', depth) + "}}";
        var bytes = Encoding.UTF8.GetBytes(json);

        var parsed = new GeoJsonFeatureParser().Parse(bytes, 1);

        Assert.Equal(rejected, parsed.Error is not null);
        AssertSameAsDocumentReader(GeoJsonReader.ParseFeature(bytes, 1), parsed);
    }

    [Fact]
    public void Text_that_is_not_utf8_is_a_rejected_record_in_a_string_and_in_a_nested_value()
    {
        byte[] Feature(string before, string after) =>
            [.. Encoding.UTF8.GetBytes("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a\":" + before), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(after + "}}")];

        foreach (var bytes in new[] { Feature("\"", "\""), Feature("[\"", "\"]") })
        {
            Assert.Null(new GeoJsonFeatureParser().TryParse(bytes, 1));
            Assert.NotNull(new GeoJsonFeatureParser().Parse(bytes, 1).Error);
        }
    }

    [Fact]
    public void Property_names_are_read_right_when_they_change_from_one_feature_to_the_next()
    {
        var parser = new GeoJsonFeatureParser();
        string[] features =
        [
            "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"a\":1,\"b\":2}}",
            "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"b\":3,\"a\":4,\"c\":5}}",
            "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"\\u0061\":6}}",
        ];

        var read = features.Select((f, i) => parser.Parse(Encoding.UTF8.GetBytes(f), i + 1)).ToList();

        Assert.Equal(["a", "b"], read[0].Properties.Select(p => p.Key));
        Assert.Equal(["b", "a", "c"], read[1].Properties.Select(p => p.Key));
        Assert.Equal(new KeyValuePair<string, object?>("a", 6L), Assert.Single(read[2].Properties));
    }
}
