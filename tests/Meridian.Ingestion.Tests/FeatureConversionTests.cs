using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage;
using Meridian.Storage.Schema;
using static Meridian.Ingestion.Tests.Features;

namespace Meridian.Ingestion.Tests;

public sealed class FeatureConversionTests
{
    /// <summary>Infers the schema from all features, then converts the first, as an ingest does.</summary>
    private static FeatureRecord Convert(params SourceFeature[] features)
    {
        var inference = new SchemaInference();
        foreach (var feature in features) inference.Observe(feature);
        var schema = inference.ToSchema("test");
        return FeatureConversion.ToRecord(features[0], schema, inference.SourceNames);
    }

    private static object? ValueOf(object? value, params object?[] others) =>
        Convert([With(("p", value)), .. others.Select(o => With(("p", o)))]).Properties["p"];

    [Fact]
    public void ToRecord_Integer_StaysLong()
    {
        Assert.Equal(42L, Assert.IsType<long>(ValueOf(42L, 7L)));
    }

    [Fact]
    public void ToRecord_IntegerInNumberColumn_IsWidenedToDouble()
    {
        Assert.Equal(42.0, Assert.IsType<double>(ValueOf(42L, 1.5)));
    }

    [Fact]
    public void ToRecord_Boolean_StaysBool()
    {
        Assert.Equal(true, ValueOf(true, false));
    }

    [Fact]
    public void ToRecord_Date_IsDateOnly()
    {
        Assert.Equal(new DateOnly(1850, 7, 14), ValueOf("1850-07-14"));
    }

    [Fact]
    public void ToRecord_DateTimeWithOffset_IsUtcDateTimeOffset()
    {
        var value = Assert.IsType<DateTimeOffset>(ValueOf("2021-04-16T10:15:59+02:00"));

        Assert.Equal(new DateTimeOffset(2021, 4, 16, 8, 15, 59, TimeSpan.Zero), value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
    }

    [Fact]
    public void ToRecord_DateTimeWithoutZone_IsTakenAsUtc()
    {
        // The CQL2 test data holds one such value (record 168, "2021-04-16T10:15:59").
        Assert.Equal(new DateTimeOffset(2021, 4, 16, 10, 15, 59, TimeSpan.Zero), ValueOf("2021-04-16T10:15:59", "2020-01-01T00:00:00Z"));
    }

    [Fact]
    public void ToRecord_DateInDateTimeColumn_IsMidnightUtc()
    {
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), ValueOf("2024-05-01", "2024-05-01T12:00:00Z"));
    }

    [Theory]
    [InlineData(1L, "x", "1")]
    [InlineData(1.5, "x", "1.5")]
    [InlineData(1e20, "x", "1E+20")]
    [InlineData(true, "x", "true")]
    [InlineData(false, 1L, "false")]
    [InlineData("2024-05-01", "x", "2024-05-01")]
    public void ToRecord_ValueInStringColumn_IsInvariantText(object value, object other, string expected)
    {
        Assert.Equal(expected, ValueOf(value, other));
    }

    [Fact]
    public void ToRecord_ObjectInOtherColumn_IsItsJsonText()
    {
        Assert.Equal("{\"a\":[1,2]}", ValueOf(new RawJson("{\"a\":[1,2]}")));
    }

    [Fact]
    public void ToRecord_ObjectInStringColumn_IsItsJsonText()
    {
        Assert.Equal("[1]", ValueOf(new RawJson("[1]"), "text"));
    }

    [Fact]
    public void ToRecord_Null_StaysNull()
    {
        Assert.Null(ValueOf(null, 5L));
    }

    [Fact]
    public void ToRecord_MissingProperty_IsAbsent()
    {
        var record = Convert(With(("a", 1L)), With(("b", 2L)));

        Assert.Equal(["a"], record.Properties.Keys);
    }

    [Fact]
    public void ToRecord_RenamedProperties_UseTheColumnNames()
    {
        var record = Convert(With(("id", 7L), ("Name", "a"), ("name", "b")));

        Assert.Equal(7L, record.Properties["id_"]);
        Assert.Equal("a", record.Properties["Name"]);
        Assert.Equal("b", record.Properties["name_2"]);
    }

    [Fact]
    public void ToRecord_KeepsIdAndGeometry()
    {
        var feature = With(("a", 1L)) with { Id = "abc" };

        var record = Convert(feature);

        Assert.Equal("abc", record.Id);
        Assert.Same(feature.Geometry, record.Geometry);
    }

    [Fact]
    public void ToRecord_DuplicatePropertyName_KeepsTheLastValue()
    {
        // {"a":1,"a":2} is legal JSON text; JsonDocument hands both members to the reader.
        var record = Convert(With(("a", 1L), ("a", 2L)));

        Assert.Equal(2L, record.Properties["a"]);
    }

    [Fact]
    public async Task ToRecord_DuplicatePropertyNameFromGeoJson_DoesNotThrow()
    {
        var json = Formats.GeoJson.GeoJsonInput.Collection(Formats.GeoJson.GeoJsonInput.PointFeature("{\"a\":1,\"a\":\"two\"}"));
        var feature = Assert.Single(await Formats.GeoJson.GeoJsonInput.ReadTextAsync(json));

        var record = Convert(feature);

        Assert.Equal("two", record.Properties["a"]);
    }

    [Theory]
    [InlineData("2021-02-30")]
    [InlineData("2021-04-16T24:00:00Z")]
    public void ToRecord_ImpossibleDateAmongDates_IsKeptAsText(string impossible)
    {
        var valid = impossible.Contains('T') ? "2021-04-16T10:00:00Z" : "2021-04-16";

        var record = Convert(With(("p", impossible)), With(("p", valid)));

        Assert.Equal(impossible, record.Properties["p"]);
    }

    [Fact]
    public async Task ToRecord_EveryCql2Place_Converts()
    {
        var features = await Formats.GeoJson.GeoJsonInput.ReadFileAsync("naturalearth/cql2/ne_110m_populated_places_simple.from_gpkg.geojson");
        var inference = new SchemaInference();
        features.ForEach(inference.Observe);
        var schema = inference.ToSchema("places");

        var records = features.Select(f => FeatureConversion.ToRecord(f, schema, inference.SourceNames)).ToList();

        Assert.Equal(243, records.Count);
        Assert.Equal(PropertyType.Date, schema.FindProperty("date")!.Type);
        Assert.Equal(PropertyType.DateTime, schema.FindProperty("start")!.Type);
        Assert.Equal(PropertyType.Boolean, schema.FindProperty("boolean")!.Type);
        Assert.Contains(records, r => r.Properties["start"] is DateTimeOffset { Year: 2021, Month: 4, Day: 16, Hour: 10, Minute: 15, Second: 59 });
        Assert.All(records, r => Assert.True(r.Properties.GetValueOrDefault("date") is null or DateOnly));
    }

    [Theory]
    [InlineData("2023-08-08T18:00:04Z", true)]
    [InlineData("2024-02-29T23:59:59Z", true)]
    [InlineData("0001-01-01T00:00:00Z", true)]
    [InlineData("9999-12-31T23:59:59.9999999Z", true)]
    [InlineData("2023-08-08T18:00:04.5Z", true)]
    [InlineData("2023-08-08T18:00:04.123Z", true)]
    [InlineData("2023-02-29T00:00:00Z", false)]
    [InlineData("2023-13-01T00:00:00Z", false)]
    [InlineData("2023-01-01T24:00:00Z", false)]
    [InlineData("2016-12-31T23:59:60Z", false)]
    [InlineData("0000-01-01T00:00:00Z", false)]
    [InlineData("2023-08-08T18:00:04.Z", false)]
    [InlineData("2023-08-08T18:00:04.12345678Z", false)]
    [InlineData("2023-08-08t18:00:04z", false)]
    [InlineData("2023-08-08 18:00:04Z", false)]
    [InlineData("2023-08-08T18:00:04+02:00", false)]
    [InlineData("2023-08-08T1a:00:04Z", false)]
    public void TryParseUtcTimestamp_TakesTheCommonFormAndGivesWhatTheGeneralParserGives(string text, bool fast)
    {
        var general = DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var expected);

        Assert.Equal(fast, FeatureConversion.TryParseUtcTimestamp(text, out var parsed));
        if (fast) Assert.Equal((true, expected, TimeSpan.Zero), (general, parsed, parsed.Offset));
        Assert.Equal(general, FeatureConversion.TryParseDateTime(text, out var either));
        Assert.Equal(expected, either);
    }
}
