using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage.Schema;

namespace Meridian.Ingestion.Tests.Formats.GeoJson;

/// <summary>
/// Inputs found by <see cref="GeoJsonReaderFuzzTests"/> that once escaped the reader or the ingest as another
/// exception than <see cref="SourceFormatException"/>, reduced to their essence.
/// </summary>
public sealed class GeoJsonReaderRegressionTests
{
    private static byte[] Bytes(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    private static readonly byte[] NotUtf8 = [0x89];

    public static TheoryData<string, byte[]> InvalidUtf8Inputs() => new()
    {
        // The fuzz flipped a bit in "2021-04-16T10:15:59Z": InvalidOperationException from JsonElement.GetString.
        { "property value", Bytes("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"updated":"2""", NotUtf8, "\"}}]}") },
        { "property name", Bytes("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"up""", NotUtf8, "\":1}}]}") },
        { "feature id", Bytes("""{"type":"FeatureCollection","features":[{"type":"Feature","id":"a""", NotUtf8, "\",\"geometry\":null}]}") },
        { "top-level type", Bytes("""{"type":"Feature""", NotUtf8, "Collection\",\"features\":[]}") },
        { "top-level member name", Bytes("""{"na""", NotUtf8, "me\":\"x\",\"type\":\"FeatureCollection\",\"features\":[]}") },
        { "lone surrogate escape", Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"s":"\ud800"}}]}""") },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Inputs))]
    public async Task ReadAsync_InvalidUtf8_FailsTheFileOrRejectsTheFeature(string where, byte[] input)
    {
        Assert.NotEmpty(where);
        string message;
        try
        {
            // In a feature, the feature is rejected; in the top-level object, the file fails.
            await GeoJsonReaderFuzzTests.Ingest(new MemoryStream(input));
            message = Assert.Single(await GeoJsonInput.ReadBytesAsync(input)).Error!;
        }
        catch (SourceFormatException e)
        {
            message = e.Message;
        }

        Assert.Contains("UTF-8", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2021-44-16T10:15:59Z")] // FormatException from DateTimeOffset.Parse
    [InlineData("2021-00-16")] // FormatException from DateOnly.ParseExact
    [InlineData("2021-04-56")]
    public async Task Ingest_ImpossibleDateAmongDates_Succeeds(string impossible)
    {
        var valid = impossible.Contains('T') ? "2021-04-16T10:15:59Z" : "2021-04-16";
        var json = GeoJsonInput.Collection(GeoJsonInput.PointFeature($"{{\"d\":\"{valid}\"}}"), GeoJsonInput.PointFeature($"{{\"d\":\"{impossible}\"}}"));

        await GeoJsonReaderFuzzTests.Ingest(new MemoryStream(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public async Task Ingest_DuplicatedPropertyName_Succeeds()
    {
        // ArgumentException from ToDictionary in FeatureConversion.ToRecord.
        var json = GeoJsonInput.Collection(GeoJsonInput.PointFeature("""{"updated":"2021-04-16T6","updated":"2021-04-16T10:15:59Z"}"""));

        await GeoJsonReaderFuzzTests.Ingest(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        var feature = Assert.Single(await GeoJsonInput.ReadTextAsync(json));
        Assert.Equal(2, feature.Properties.Count);
    }

    [Fact]
    public async Task ReadAsync_PropertyNumberBeyondDouble_IsARejectedRecord()
    {
        // Was read as +Infinity, a value JSON cannot hold and stores handle differently.
        var json = GeoJsonInput.Collection(GeoJsonInput.PointFeature("""{"x":-1e400}"""));

        var feature = Assert.Single(await GeoJsonInput.ReadTextAsync(json));

        Assert.Contains("property 'x' is a number out of range", feature.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inference_DateTimeWithoutSeconds_IsDateTimeAndConverts()
    {
        var features = await GeoJsonInput.ReadTextAsync(GeoJsonInput.Collection(GeoJsonInput.PointFeature("""{"t":"2021-04-16 10:15"}""")));
        var inference = new SchemaInference();
        features.ForEach(inference.Observe);
        var schema = inference.ToSchema("x");

        var record = FeatureConversion.ToRecord(features[0], schema, inference.SourceNames);

        Assert.Equal(PropertyType.DateTime, schema.Properties[0].Type);
        Assert.Equal(new DateTimeOffset(2021, 4, 16, 10, 15, 0, TimeSpan.Zero), record.Properties["t"]);
    }
}
