using System.Text;
using System.Text.Json;
using Meridian.Features.Formats;

namespace Meridian.Features.Tests.Formats;

public sealed class FeatureJsonTests
{
    private static string Write(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FeatureJson.WriteValue(writer, value);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void WriteValue_Null_WritesNull()
    {
        Assert.Equal("null", Write(null));
    }

    [Theory]
    [InlineData("Paris", "\"Paris\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"\n", "\"say \\u0022hi\\u0022\\n\"")]
    [InlineData("</script>", "\"\\u003C/script\\u003E\"")]
    public void WriteValue_String_WritesEscapedJsonString(string value, string expected)
    {
        Assert.Equal(expected, Write(value));
    }

    [Fact]
    public void WriteValue_UnicodeString_RoundTrips()
    {
        const string value = "São Paulo 東京 🗺";

        Assert.Equal(value, JsonSerializer.Deserialize<string>(Write(value)));
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-42L, "-42")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void WriteValue_Long_WritesInteger(long value, string expected)
    {
        Assert.Equal(expected, Write(value));
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(0.0, "0")]
    [InlineData(1e300, "1E+300")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    public void WriteValue_FiniteDouble_WritesNumber(double value, string expected)
    {
        Assert.Equal(expected, Write(value));
    }

    [Fact]
    public void WriteValue_Double_RoundTripsExactly()
    {
        const double value = 0.1 + 0.2;

        Assert.Equal(value, JsonSerializer.Deserialize<double>(Write(value)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void WriteValue_NonFiniteDouble_WritesNull(double value)
    {
        Assert.Equal("null", Write(value));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public void WriteValue_Bool_WritesJsonBoolean(bool value, string expected)
    {
        Assert.Equal(expected, Write(value));
    }

    [Fact]
    public void WriteValue_DateOnly_WritesIsoDate()
    {
        Assert.Equal("\"0987-06-05\"", Write(new DateOnly(987, 6, 5)));
    }

    [Fact]
    public void WriteValue_DateTimeOffsetWithOffset_WritesUtcWithZ()
    {
        var value = new DateTimeOffset(2021, 4, 16, 10, 15, 59, TimeSpan.FromHours(2));

        Assert.Equal("\"2021-04-16T08:15:59Z\"", Write(value));
    }

    [Fact]
    public void WriteValue_DateTimeOffsetWithFraction_KeepsFraction()
    {
        var value = new DateTimeOffset(2021, 4, 16, 10, 15, 59, 250, TimeSpan.Zero);

        Assert.Equal("\"2021-04-16T10:15:59.25Z\"", Write(value));
    }

    [Fact]
    public void WriteValue_OtherType_WritesInvariantText()
    {
        Assert.Equal("\"1.5\"", Write(1.5m));
    }

    [Fact]
    public void WriteValue_OtherPropertyJsonText_WritesItAsString()
    {
        Assert.Equal("\"[1,2]\"", Write("[1,2]"));
    }
}
