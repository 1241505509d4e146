using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Features.Tests.Cql2;

public sealed class Cql2TextParserTests
{
    private static Expression Parse(string text) => Cql2TextParser.Parse(text);

    private static PropertyRef P(string name) => new(name);

    private static NumberLiteral N(double value) => new(value);

    private static StringLiteral S(string value) => new(value);

    private static Comparison Eq(Expression left, Expression right) => new(ComparisonOperator.Equal, left, right);

    private static Arithmetic Op(ArithmeticOperator op, Expression left, Expression right) => new(op, left, right);

    private static GeometryLiteral Wkt(string wkt) => new(new WKTReader().Read(wkt));

    // ---- precedence ----

    [Fact]
    public void Parse_AndOr_AndBindsTighterThanOr()
    {
        Assert.Equal(
            new Or([Eq(P("a"), N(1)), new And([Eq(P("b"), N(2)), Eq(P("c"), N(3))])]),
            Parse("a = 1 OR b = 2 AND c = 3"));
    }

    [Fact]
    public void Parse_Not_BindsTighterThanAnd()
    {
        Assert.Equal(new And([new Not(Eq(P("a"), N(1))), Eq(P("b"), N(2))]), Parse("NOT a = 1 AND b = 2"));
    }

    [Fact]
    public void Parse_ChainedAnd_IsOneNodeWithAllOperandsAndParenthesesNest()
    {
        Assert.Equal(new And([Eq(P("a"), N(1)), Eq(P("b"), N(2)), Eq(P("c"), N(3))]), Parse("a=1 AND b=2 AND c=3"));
        Assert.Equal(new And([new And([Eq(P("a"), N(1)), Eq(P("b"), N(2))]), Eq(P("c"), N(3))]), Parse("(a=1 AND b=2) AND c=3"));
    }

    [Fact]
    public void Parse_Arithmetic_FollowsTheStandardsPrecedence()
    {
        // 1 + (2 * (3 ^ 2)); the test suite's pop_other>=1038290-2*2^0 relies on it.
        Assert.Equal(
            Eq(P("x"), Op(ArithmeticOperator.Add, N(1), Op(ArithmeticOperator.Multiply, N(2), Op(ArithmeticOperator.Power, N(3), N(2))))),
            Parse("x = 1 + 2 * 3 ^ 2"));
    }

    [Fact]
    public void Parse_SubtractionAndDivision_AreLeftAssociative()
    {
        Assert.Equal(Eq(P("x"), Op(ArithmeticOperator.Subtract, Op(ArithmeticOperator.Subtract, N(10), N(4)), N(3))), Parse("x = 10 - 4 - 3"));
        Assert.Equal(Eq(P("x"), Op(ArithmeticOperator.IntegerDivide, Op(ArithmeticOperator.Modulo, N(10), N(4)), N(3))), Parse("x = 10 % 4 DIV 3"));
    }

    [Fact]
    public void Parse_Power_IsRightAssociative()
    {
        Assert.Equal(Eq(P("x"), Op(ArithmeticOperator.Power, N(2), Op(ArithmeticOperator.Power, N(3), N(2)))), Parse("x = 2 ^ 3 ^ 2"));
    }

    [Fact]
    public void Parse_MinusBeforeANumber_IsANegativeLiteral()
    {
        Assert.Equal(Eq(P("x"), N(-1)), Parse("x = - 1"));
        Assert.Equal(Eq(P("x"), Op(ArithmeticOperator.Subtract, P("a"), N(-5))), Parse("x = a - -5"));
        Assert.Equal(Eq(P("x"), Op(ArithmeticOperator.Power, N(-2), N(2))), Parse("x = -2^2"));
        Assert.Equal(Eq(P("x"), N(3)), Parse("x = +3"));
    }

    [Fact]
    public void Parse_MinusBeforeAnythingElse_IsNegate()
    {
        Assert.Equal(Eq(P("x"), new Negate(P("a"))), Parse("x = -a"));
        Assert.Equal(Eq(P("x"), new Negate(N(5))), Parse("x = -(5)"));
        Assert.Equal(Eq(P("x"), new Negate(new Negate(P("a")))), Parse("x = --a"));
    }

    [Fact]
    public void Parse_NegatedPredicates_AreNotAroundThePositiveForm()
    {
        Assert.Equal(new Not(new Like(P("a"), S("x%"))), Parse("a NOT LIKE 'x%'"));
        Assert.Equal(new Not(new Between(P("a"), N(1), N(2))), Parse("a not between 1 and 2"));
        Assert.Equal(new Not(new In(P("a"), [N(1)])), Parse("a NOT IN (1)"));
        Assert.Equal(new Not(new IsNull(P("a"))), Parse("a IS NOT NULL"));
    }

    [Fact]
    public void Parse_BetweenInsideAnd_TakesOnlyItsOwnAnd()
    {
        Assert.Equal(new And([new Between(P("a"), N(1), N(2)), Eq(P("b"), N(3))]), Parse("a BETWEEN 1 AND 2 AND b = 3"));
    }

    // ---- words ----

    [Fact]
    public void Parse_Keywords_AreCaseInsensitive()
    {
        Assert.Equal(Parse("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1)) AND a LIKE 'x' AND b IS NULL AND c = TRUE"),
            Parse("s_Intersects(geometry, bbox(0, 0, 1, 1)) aNd a like 'x' and b is null and c = true"));
    }

    [Theory]
    [InlineData("landsat:scene_id")]
    [InlineData("eo.cloud_cover")]
    [InlineData("_x")]
    [InlineData("ñame")]
    [InlineData("名前")]
    [InlineData("start")]
    [InlineData("end")]
    [InlineData("boolean")]
    public void Parse_UnquotedIdentifier_IsAPropertyName(string name)
    {
        Assert.Equal(Eq(P(name), N(1)), Parse($"{name} = 1"));
    }

    [Theory]
    [InlineData("\"date\"", "date")]
    [InlineData("\"AND\"", "AND")]
    [InlineData("\"with space\"", "with space")]
    [InlineData("\"id\"", "id")]
    public void Parse_QuotedIdentifier_IsAPropertyNameEvenWhenAKeyword(string quoted, string name)
    {
        Assert.Equal(Eq(P(name), N(1)), Parse($"{quoted} = 1"));
    }

    [Fact]
    public void Parse_KeywordNotFollowedByParenthesis_IsAPropertyName()
    {
        Assert.Equal(Eq(P("date"), N(1)), Parse("date = 1"));
    }

    // ---- literals ----

    [Theory]
    [InlineData("'O''Brien'", "O'Brien")]
    [InlineData(@"'O\'Brien'", "O'Brien")]
    [InlineData(@"'a\nb\tc\rd'", "a\nb\tc\rd")]
    [InlineData(@"'\a\b\v\f'", "\a\b\v\f")]
    [InlineData(@"'C:\\temp'", @"C:\temp")]
    [InlineData(@"'100\%'", @"100\%")]
    [InlineData("''", "")]
    [InlineData("'København'", "København")]
    public void Parse_StringLiteral_DecodesEscapes(string literal, string value)
    {
        Assert.Equal(Eq(P("x"), S(value)), Parse($"x = {literal}"));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1.", 1)]
    [InlineData(".5", 0.5)]
    [InlineData("150.0", 150)]
    [InlineData("1e3", 1000)]
    [InlineData("1E-3", 0.001)]
    [InlineData("1.5e+2", 150)]
    public void Parse_NumberLiteral_ReadsAllForms(string literal, double value)
    {
        Assert.Equal(Eq(P("x"), N(value)), Parse($"x = {literal}"));
    }

    [Fact]
    public void Parse_Instants_AreDatesAndUtcTimestamps()
    {
        Assert.Equal(Eq(P("d"), new DateLiteral(new DateOnly(2022, 4, 16))), Parse("d = DATE('2022-04-16')"));
        Assert.Equal(Eq(P("t"), new TimestampLiteral(new DateTimeOffset(2022, 4, 16, 10, 13, 19, TimeSpan.Zero))), Parse("t = timestamp('2022-04-16T10:13:19Z')"));
        Assert.Equal(
            Eq(P("t"), new TimestampLiteral(new DateTimeOffset(2012, 8, 10, 5, 30, 0, TimeSpan.Zero).AddTicks(1234567))),
            Parse("t = TIMESTAMP('2012-08-10T05:30:00.123456789Z')"));
    }

    [Fact]
    public void Parse_Interval_ReadsStringsOpenBoundsPropertiesAndFunctions()
    {
        Assert.Equal(
            new TemporalPredicate(TemporalOperator.During,
                new IntervalLiteral(P("start"), new FunctionCall("now", [])),
                new IntervalLiteral(null, new TimestampLiteral(new DateTimeOffset(2022, 4, 16, 0, 0, 0, TimeSpan.Zero)))),
            Parse("T_DURING(INTERVAL(start, now()), INTERVAL('..', '2022-04-16T00:00:00Z'))"));
        Assert.Equal(
            new TemporalPredicate(TemporalOperator.Equals, P("d"), new IntervalLiteral(new DateLiteral(new DateOnly(2022, 1, 1)), null)),
            Parse("T_EQUALS(d, INTERVAL('2022-01-01', '..'))"));
    }

    [Fact]
    public void Parse_Bbox_ReadsFourOrSixNumbers()
    {
        Assert.Equal(new SpatialPredicate(SpatialOperator.Intersects, P("geometry"), new BboxLiteral(150, -90, -150, 90)),
            Parse("S_INTERSECTS(geometry, BBOX(150,-90,-150,90))"));
        Assert.Equal(new SpatialPredicate(SpatialOperator.Intersects, P("geometry"), new BboxLiteral(-10, -5, 10, 5, -100, 100)),
            Parse("S_INTERSECTS(geometry, BBOX(-10, -5, -100, 10, 5, 100))"));
    }

    [Theory]
    [InlineData("POINT(1 2)", "POINT (1 2)")]
    [InlineData("point (1 2)", "POINT (1 2)")]
    [InlineData("POINT Z(1 2 3)", "POINT Z(1 2 3)")]
    [InlineData("POINT(1 2 3)", "POINT Z(1 2 3)")]
    [InlineData("LINESTRING(0 0, 1 1, -2.5e1 3)", "LINESTRING (0 0, 1 1, -25 3)")]
    [InlineData("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1))", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1))")]
    [InlineData("MULTIPOINT((1 2), (3 4))", "MULTIPOINT ((1 2), (3 4))")]
    [InlineData("MULTIPOINT(1 2, 3 4)", "MULTIPOINT ((1 2), (3 4))")]
    [InlineData("MULTILINESTRING((0 0, 1 1), (2 2, 3 3))", "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))")]
    [InlineData("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))")]
    [InlineData("GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1))", "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))")]
    public void Parse_WktLiteral_GivesTheGeometry(string literal, string expectedWkt)
    {
        var parsed = (SpatialPredicate)Parse($"S_INTERSECTS(geometry, {literal})");

        Assert.Equal(Wkt(expectedWkt), parsed.Right);
    }

    [Fact]
    public void Parse_ArrayFunctions_ReadParenthesesAsArraysEvenForOneItem()
    {
        Assert.Equal(new ArrayPredicate(ArrayOperator.Contains, P("tags"), new ArrayLiteral([S("a")])), Parse("A_CONTAINS(tags, ('a'))"));
        Assert.Equal(new ArrayPredicate(ArrayOperator.Equals, new ArrayLiteral([]), P("tags")), Parse("A_EQUALS((), tags)"));
        Assert.Equal(
            new ArrayPredicate(ArrayOperator.Overlaps, P("tags"), new ArrayLiteral([new ArrayLiteral([N(1), N(2)]), N(3)])),
            Parse("A_OVERLAPS(tags, ((1, 2), 3))"));
    }

    [Fact]
    public void Parse_FunctionCall_TakesAnyNumberOfArguments()
    {
        Assert.Equal(new FunctionCall("now", []), Parse("now()"));
        Assert.Equal(Eq(new FunctionCall("Bar", [P("geometry"), N(100), S("a"), new BooleanLiteral(false)]), new BooleanLiteral(true)),
            Parse("Bar(\"geometry\", 100, 'a', FALSE) = TRUE"));
    }

    [Fact]
    public void Parse_BooleanLiteral_IsAFilterOnItsOwn()
    {
        Assert.Equal(new BooleanLiteral(true), Parse("TRUE"));
        Assert.Equal(new BooleanLiteral(false), Parse(" false "));
    }

    // ---- positions ----

    [Fact]
    public void Parse_Nodes_KnowTheirOffsets()
    {
        const string text = "name LIKE 'Ber%' AND pop_max > 1000000";
        var and = Assert.IsType<And>(Parse(text));
        var like = Assert.IsType<Like>(and.Operands[0]);
        var greater = Assert.IsType<Comparison>(and.Operands[1]);

        Assert.Equal(text.IndexOf("AND", StringComparison.Ordinal), and.Position.Offset);
        Assert.Equal(text.IndexOf("LIKE", StringComparison.Ordinal), like.Position.Offset);
        Assert.Equal(0, like.Value.Position.Offset);
        Assert.Equal(text.IndexOf('\''), like.Pattern.Position.Offset);
        Assert.Equal(text.IndexOf('>'), greater.Position.Offset);
        Assert.Equal(text.IndexOf("pop_max", StringComparison.Ordinal), greater.Left.Position.Offset);
        Assert.Null(greater.Left.Position.JsonPath);
    }

    // ---- errors ----

    public static TheoryData<string, int, string> Malformed() => new()
    {
        { "", 0, "expected a filter at 0" },
        { "name = ", 7, "expected an expression at 7 but found the end of the filter" },
        { "(a = 1", 6, "expected ')' at 6 but found the end of the filter" },
        { "a = 1)", 5, "expected AND, OR or the end of the filter at 5 but found ')'" },
        { "(a = 1 AND b = 2 c = 3)", 17, "expected ')' at 17 but found 'c'" },
        { "a = 'abc", 4, "unterminated string at 4" },
        { "\"abc = 1", 0, "unterminated quoted property name at 0" },
        { "\"\" = 1", 0, "empty property name at 0" },
        { "a = 1 AND", 9, "expected an expression at 9 but found the end of the filter" },
        { "a = 1 AND OR b = 2", 10, "expected an expression at 10 but found 'OR'" },
        { "a", 0, "expected a predicate at 0 but found property 'a'" },
        { "a = 1 AND 5", 10, "expected a predicate at 10 but found number 5" },
        { "NOT 'x'", 4, "expected a predicate at 4 but found string 'x'" },
        { "a = b = c", 6, "expected AND, OR or the end of the filter at 6 but found '='" },
        { "x = DATE('2022-13-01')", 9, "expected a date (YYYY-MM-DD) at 9 but found '2022-13-01'" },
        { "x = DATE(2022)", 9, "expected a date string such as '2022-04-16' at 9 but found '2022'" },
        { "x = TIMESTAMP('2022-01-01T00:00:00')", 14, "expected a UTC timestamp" },
        { "x = 1e999", 4, "number out of range at 4" },
        { "x = 1 ! 2", 6, "unexpected character at 6 but found '!'" },
        { "x NOT = 5", 6, "expected LIKE, BETWEEN or IN after NOT at 6 but found '='" },
        { "x IS 5", 5, "expected NULL or NOT NULL after IS at 5" },
        { "x BETWEEN 1 OR 2", 12, "expected AND between the bounds of BETWEEN at 12 but found 'OR'" },
        { "x IN ()", 6, "expected an expression at 6 but found ')'" },
        { "x IN 1", 5, "expected '(' after IN at 5" },
        { "S_INTERSECTS(geometry)", 21, "expected ',' after the first argument of S_INTERSECTS at 21 but found ')'" },
        { "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))", 31, "a polygon ring needs at least 4 positions at 31" },
        { "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))", 31, "a polygon ring must end where it starts at 31" },
        { "S_INTERSECTS(geometry, LINESTRING(0 0))", 33, "a line string needs at least 2 positions at 33" },
        { "S_INTERSECTS(geometry, POINT(1))", 30, "expected a number at 30 but found ')'" },
        { "S_INTERSECTS(geometry, POINT(1 2 3 4))", 35, "expected ',' or ')' after 2 or 3 coordinates at 35 but found '4'" },
        { "S_INTERSECTS(geometry, POINT Z (1 2))", 32, "all positions of a geometry must have the same number of coordinates" },
        { "S_INTERSECTS(geometry, LINESTRING(0 0, 1 1 1))", 39, "all positions of a geometry must have the same number of coordinates" },
        { "S_INTERSECTS(geometry, POINT EMPTY)", 29, "empty geometries are not supported at 29" },
        { "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(1 2))))", 42, "cannot hold another GEOMETRYCOLLECTION" },
        { "S_INTERSECTS(geometry, BBOX(1,2,3))", 33, "expected 4 or 6 numbers in BBOX at 33 but found ')'" },
        { "S_INTERSECTS(geometry, BBOX(1,2,3,4,5,6,7))", 40, "expected ')' after the 6 numbers of BBOX at 40" },
        { "T_AFTER(t, INTERVAL('2022-01-01', 'soon'))", 34, "expected a date, a UTC timestamp or '..' as an interval bound at 34 but found 'soon'" },
        { "T_AFTER(t, INTERVAL(1, 2))", 20, "as an interval bound at 20 but found number 1" },
        { "x = +a", 5, "expected a number after '+' at 5 but found 'a'" },
        { "x = .", 4, "unexpected character at 4 but found '.'" },
        { "x = \u0001", 4, "unexpected character at 4 but found 'U+0001'" },
        { "x = 'a<U+D800>'", 6, "invalid character U+D800 (half of a surrogate pair) at 6" },
        { "x<U+DC00> = 1", 1, "invalid character U+DC00 (half of a surrogate pair) at 1" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedFilter_ThrowsCql2ExceptionWithPosition(string text, int offset, string message)
    {
        var error = Assert.Throws<Cql2Exception>(() => Parse(Surrogates.Unmask(text)));

        Assert.Equal(offset, error.Position.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // ---- limits ----

    [Theory]
    [InlineData("(", "a = 1", ")")]
    [InlineData("NOT ", "a = 1", "")]
    [InlineData("f(", "1", ")")]
    [InlineData("a = -", "1", "")]
    [InlineData("a = (", "1", ")")]
    public void Parse_NestingBeyondTheLimit_ThrowsCql2Exception(string open, string inner, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, 150)) + inner + string.Concat(Enumerable.Repeat(close, 150));
        if (open == "a = -") text = "a = " + string.Concat(Enumerable.Repeat("-(", 150)) + "x" + new string(')', 150);

        var error = Assert.Throws<Cql2Exception>(() => Parse(text));

        Assert.Contains("nests deeper than the 100 levels allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongArithmeticChain_CountsAsNesting()
    {
        Assert.IsType<Comparison>(Parse("a = " + string.Join(" + ", Enumerable.Repeat("1", 50))));

        var error = Assert.Throws<Cql2Exception>(() => Parse("a = " + string.Join(" + ", Enumerable.Repeat("1", 200))));

        Assert.Contains("nests deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNestingWithinTheLengthLimit_FailsWithoutOverflowingTheStack()
    {
        var text = new string('(', 30_000) + "a = 1" + new string(')', 30_000);

        Assert.Throws<Cql2Exception>(() => Parse(text));
    }

    [Fact]
    public void Parse_FilterLongerThanTheLimit_ThrowsCql2Exception()
    {
        var text = "a IN (" + string.Join(",", Enumerable.Repeat("123456789", 7000)) + ")";

        var error = Assert.Throws<Cql2Exception>(() => Parse(text));

        Assert.Contains("longer than the 65536 characters allowed", error.Message, StringComparison.Ordinal);
        Assert.IsType<In>(Cql2TextParser.Parse(text, new Cql2ParserOptions { MaxLength = 100_000 }));
    }

    [Fact]
    public void Parse_ManyAndOperands_IsNotNesting()
    {
        var text = string.Join(" AND ", Enumerable.Range(0, 500).Select(i => $"a{i} = {i}"));

        Assert.Equal(500, Assert.IsType<And>(Parse(text)).Operands.Count);
    }
}
