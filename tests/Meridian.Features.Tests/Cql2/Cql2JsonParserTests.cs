using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;

namespace Meridian.Features.Tests.Cql2;

public sealed class Cql2JsonParserTests
{
    private static Expression Parse(string json) => Cql2JsonParser.Parse(json);

    [Fact]
    public void Parse_Nodes_KnowTheirJsonPaths()
    {
        var and = Assert.IsType<And>(Parse("""{"op":"and","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"in","args":[{"property":"b"},["x","y"]]}]}"""));
        var equal = Assert.IsType<Comparison>(and.Operands[0]);
        var @in = Assert.IsType<In>(and.Operands[1]);

        Assert.Equal("$", and.Position.JsonPath);
        Assert.Equal("$.args[0]", equal.Position.JsonPath);
        Assert.Equal("$.args[0].args[0]", equal.Left.Position.JsonPath);
        Assert.Equal("$.args[1].args[1][1]", @in.Items[1].Position.JsonPath);
        Assert.Equal(-1, equal.Position.Offset);
    }

    [Fact]
    public void Parse_OperatorNames_AreCaseInsensitiveAndOthersAreFunctions()
    {
        Assert.Equal(Parse("""{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[0,0,1,1]}]}"""),
            Parse("""{"op":"S_INTERSECTS","args":[{"property":"geometry"},{"bbox":[0,0,1,1]}]}"""));
        Assert.Equal(new TemporalPredicate(TemporalOperator.FinishedBy, new PropertyRef("t"), new DateLiteral(new DateOnly(2020, 1, 1))),
            Parse("""{"op":"t_finishedBy","args":[{"property":"t"},{"date":"2020-01-01"}]}"""));
        Assert.Equal(new FunctionCall("Buffer", [new PropertyRef("g"), new NumberLiteral(1)]),
            Parse("""{"op":"Buffer","args":[{"property":"g"},1]}"""));
    }

    [Fact]
    public void Parse_UnaryMinus_IsNegate()
    {
        Assert.Equal(new Comparison(ComparisonOperator.Equal, new Negate(new PropertyRef("a")), new NumberLiteral(-1)),
            Parse("""{"op":"=","args":[{"op":"-","args":[{"property":"a"}]},-1]}"""));
    }

    [Fact]
    public void Parse_GeoJson_ReadsEveryGeometryTypeAndIgnoresItsBbox()
    {
        const string json = """
            {"op":"s_intersects","args":[{"property":"geometry"},{"type":"GeometryCollection","geometries":[
              {"type":"Point","coordinates":[1,2],"bbox":[1,2,1,2]},
              {"type":"LineString","coordinates":[[0,0],[1,1]]},
              {"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},
              {"type":"MultiPoint","coordinates":[[1,2],[3,4]]},
              {"type":"MultiLineString","coordinates":[[[0,0],[1,1]]]},
              {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}]}]}
            """;

        var spatial = Assert.IsType<SpatialPredicate>(Parse(json));

        Assert.Equal(
            Cql2TextParser.Parse("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1), POLYGON((0 0, 1 0, 1 1, 0 0)), "
                + "MULTIPOINT((1 2), (3 4)), MULTILINESTRING((0 0, 1 1)), MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))))"),
            spatial);
    }

    [Fact]
    public void Parse_BooleanValue_IsAFilterOnItsOwn()
    {
        Assert.Equal(new BooleanLiteral(true), Parse("true"));
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        { "", "$", "malformed JSON (line 1, byte 1)" },
        { """{"op":""", "$", "malformed JSON" },
        { """{"op":"=","args":[1,2]} x""", "$", "malformed JSON" },
        { "null", "$", "expected an expression at $ but found null" },
        { "{\"op\":\"=\",\"args\":[{\"property\":\"a<U+D800>\"},1]}", "$", "invalid character U+D800 (half of a surrogate pair, character 32) at $" },
        { "5", "$", "expected a predicate at $ but found number 5" },
        { """{"property":"a"}""", "$", "expected a predicate at $ but found property 'a'" },
        { """{"foo":1}""", "$", "expected an object with \"op\"" },
        { """{"op":"=","args":[1]}""", "$", "\"=\" expects 2 arguments at $ but found 1" },
        { """{"op":"=","args":{"a":1}}""", "$", "expected an \"args\" array for \"=\" at $" },
        { """{"op":"and","args":[true]}""", "$", "\"and\" expects at least 2 arguments at $ but found 1" },
        { """{"op":"and","args":[true,{"property":"x"}]}""", "$.args[1]", "expected a predicate at $.args[1] but found property 'x'" },
        { """{"op":"not","args":[true,false]}""", "$", "\"not\" expects 1 argument at $ but found 2" },
        { """{"op":"","args":[]}""", "$.op", "expected an operator or function name at $.op" },
        { """{"op":5,"args":[]}""", "$.op", "expected an operator or function name at $.op but found 5" },
        { """{"op":"=","args":[{"property":""},1]}""", "$.args[0].property", "expected a property name" },
        { """{"op":"=","args":[{"property":5},1]}""", "$.args[0].property", "expected a property name" },
        { """{"op":"in","args":[{"property":"x"},1]}""", "$.args[1]", "expected the list of IN as an array at $.args[1] but found 1" },
        { """{"op":"=","args":[{"property":"x"},{"date":"2022-1-1"}]}""", "$.args[1].date", "expected a date (YYYY-MM-DD) at $.args[1].date but found \"2022-1-1\"" },
        { """{"op":"=","args":[{"property":"x"},{"timestamp":"2022-01-01 00:00:00"}]}""", "$.args[1].timestamp", "expected a UTC timestamp" },
        { """{"op":"t_after","args":[{"property":"x"},{"interval":["2022-01-01"]}]}""", "$.args[1].interval", "expected an array of 2 bounds" },
        { """{"op":"t_after","args":[{"property":"x"},{"interval":["2022-01-01", 5]}]}""", "$.args[1].interval[1]", "as an interval bound at $.args[1].interval[1] but found 5" },
        { """{"op":"t_after","args":[{"property":"x"},{"interval":["2022-01-01", {"bbox":[0,0,1,1]}]}]}""", "$.args[1].interval[1]", "but found a BBOX" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"bbox":[1,2,3]}]}""", "$.args[1].bbox", "expected an array of 4 or 6 numbers" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"bbox":[1,2,"3",4]}]}""", "$.args[1].bbox[2]", "expected a number at $.args[1].bbox[2] but found \"3\"" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}]}""", "$.args[1].coordinates[0]", "a polygon ring needs at least 4 positions" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}]}""", "$.args[1].coordinates[0]", "must end where it starts" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"Point","coordinates":[1]}]}""", "$.args[1].coordinates", "expected a position of 2 or 3 numbers" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"Point","coordinates":[1,2,3,4]}]}""", "$.args[1].coordinates", "expected a position of 2 or 3 numbers" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"LineString","coordinates":[[0,0],[1,1,1]]}]}""", "$.args[1].coordinates[1]", "same number of coordinates" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"Point"}]}""", "$.args[1]", "expected a \"coordinates\" member" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"Circle","coordinates":[0,0]}]}""", "$.args[1].type", "expected a GeoJSON geometry type" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"MultiPoint","coordinates":[]}]}""", "$.args[1].coordinates", "expected at least one item" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}]}""", "$.args[1].geometries[0]", "cannot hold another GeometryCollection" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"GeometryCollection","geometries":[]}]}""", "$.args[1].geometries", "expected at least one item" },
        { """{"op":"s_intersects","args":[{"property":"g"},{"type":"GeometryCollection","geometries":[5]}]}""", "$.args[1].geometries[0]", "expected a GeoJSON geometry at $.args[1].geometries[0] but found 5" },
        { """{"op":"=","args":[{"property":"x"},1e400]}""", "$.args[1]", "number out of range" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedFilter_ThrowsCql2ExceptionWithJsonPath(string json, string path, string message)
    {
        var error = Assert.Throws<Cql2Exception>(() => Parse(Surrogates.Unmask(json)));

        Assert.Equal(path, error.Position.JsonPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingBeyondTheLimit_ThrowsCql2Exception()
    {
        var json = string.Concat(Enumerable.Repeat("""{"op":"not","args":[""", 150)) + "true" + new string(']', 150).Replace("]", "]}");

        var error = Assert.Throws<Cql2Exception>(() => Parse(json));

        Assert.Contains("nests deeper than the 100 levels allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VeryDeepJson_FailsWithoutOverflowingTheStack()
    {
        var json = new string('[', 20_000) + new string(']', 20_000);

        var error = Assert.Throws<Cql2Exception>(() => Parse(json));

        Assert.Contains("nests deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FilterLongerThanTheLimit_ThrowsCql2Exception()
    {
        var json = """{"op":"in","args":[{"property":"a"},[""" + string.Join(",", Enumerable.Repeat("123456789", 7000)) + "]]}";

        var error = Assert.Throws<Cql2Exception>(() => Parse(json));

        Assert.Contains("longer than the 65536 characters allowed", error.Message, StringComparison.Ordinal);
    }
}
