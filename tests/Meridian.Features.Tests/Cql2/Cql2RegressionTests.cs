using Meridian.Features.Cql2;

namespace Meridian.Features.Tests.Cql2;

/// <summary>
/// Inputs that once made a parser or the binder fail with something else than a <see cref="Cql2Exception"/>
/// (found by <see cref="Cql2ParserFuzzTests"/>); each must now succeed or be refused with a position.
/// </summary>
public sealed class Cql2RegressionTests
{
    // Lone surrogates are written as <U+D800>: test runners cannot carry them in theory data.
    public static TheoryData<string> JsonInputs() => new()
    {
        // ArgumentException "Cannot transcode invalid UTF-16 string to UTF-8 JSON text" from JsonDocument.Parse.
        "{\"op\": \"not\", \"args\": [<U+D800>{\"op\": \"between\", \"args\": [{\"property\": \"value\"}, 10, 20]}]}",
        "{\"op\": \"t_before\", \"args\": [{\"property\": \"updated_at<U+DC00>\"}, {\"timestamp\": \"2012-08-10T05:30:00Z\"}]}",
        // InvalidOperationException "Cannot read incomplete UTF-16 JSON text as string with missing low surrogate" from
        // JsonElement.GetString: an escaped lone surrogate is valid JSON text (found by Cql2ParserPropertyTests).
        """{"op":"=","args":[{"property":"name"},"\ud800"]}""",
        """{"op":"=","args":[{"property":"n\udc00"},"x"]}""",
        """{"op":"\ud800","args":[]}""",
        """{"op":"t_after","args":[{"property":"start"},{"timestamp":"\ud800"}]}""",
        """{"op":"s_intersects","args":[{"property":"geom"},{"bbox":"\ud800"}]}""",
    };

    public static TheoryData<string> JsonShapes() => new()
    {
        // InvalidOperationException from JsonElement.GetArrayLength: "geometries" that is not an array.
        """{"op":"s_equals","args":[{"type":"GeometryCollection","geometries":{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}},{"property":"geometry"}]}""",
        """{"op":"s_equals","args":[{"type":"GeometryCollection","geometries":{"interval":["2022-01-01","x"]}},{"property":"geometry"}]}""",
    };

    [Theory]
    [MemberData(nameof(JsonShapes))]
    public void Parse_FormerCrashingJsonShape_ThrowsCql2ExceptionWithPosition(string json)
    {
        var error = Assert.Throws<Cql2Exception>(() => Cql2JsonParser.Parse(json));

        Assert.Equal("$.args[0].geometries", error.Position.JsonPath);
    }

    public static TheoryData<string> TextInputs() => new()
    {
        // A lone surrogate in a property name or string would reach the stores, which cannot encode it.
        "name<U+D800> = 1",
        "name = 'K<U+DC00>benhavn'",
    };

    [Theory]
    [MemberData(nameof(JsonInputs))]
    public void Parse_FormerCrashingJson_ThrowsCql2ExceptionWithPosition(string json)
    {
        var error = Assert.Throws<Cql2Exception>(() => Cql2JsonParser.Parse(Surrogates.Unmask(json)));

        Assert.False(error.Position.IsNone);
    }

    [Theory]
    [MemberData(nameof(TextInputs))]
    public void Parse_FormerCrashingText_ThrowsCql2ExceptionWithPosition(string text)
    {
        var error = Assert.Throws<Cql2Exception>(() => Cql2TextParser.Parse(Surrogates.Unmask(text)));

        Assert.False(error.Position.IsNone);
    }
}

/// <summary>Test inputs write a lone surrogate as &lt;U+D800&gt;, which theory data can carry.</summary>
internal static class Surrogates
{
    public static string Unmask(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "<U\\+(D[89A-F][0-9A-F]{2})>", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
}
