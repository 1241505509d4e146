using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;

namespace Meridian.Features.Tests.Cql2;

public sealed class Cql2BinderTests
{
    private static readonly CollectionSchema Places = new(
        "places", "Places", null, GeometryKind.Point, 4326, FeatureIdKind.Integer,
        [
            new PropertySchema("name", PropertyType.String),
            new PropertySchema("pop_max", PropertyType.Integer),
            new PropertySchema("scalerank", PropertyType.Number),
            new PropertySchema("capital", PropertyType.Boolean),
            new PropertySchema("founded", PropertyType.Date),
            new PropertySchema("updated", PropertyType.DateTime),
            new PropertySchema("closed", PropertyType.DateTime),
            new PropertySchema("tags", PropertyType.Other),
        ],
        "updated");

    private static Filter Bind(string text, Cql2BinderOptions? options = null) =>
        new Cql2Binder(Places, options).Bind(Cql2TextParser.Parse(text));

    private static Cql2Exception Refuse(string text, Cql2BinderOptions? options = null) =>
        Assert.Throws<Cql2Exception>(() => Bind(text, options));

    [Fact]
    public void Bind_TypicalFilter_KeepsTheExpressionAndMarksTheGeometry()
    {
        var filter = Bind("name LIKE 'Ber%' AND pop_max > 1000000 AND S_INTERSECTS(geometry, BBOX(0,40,20,55))");

        var and = Assert.IsType<And>(filter.Expression);
        var spatial = Assert.IsType<SpatialPredicate>(and.Operands[2]);
        Assert.IsType<GeometryRef>(spatial.Left);
        Assert.Equal(56, spatial.Left.Position.Offset);
        Assert.Equal(new Like(new PropertyRef("name"), new StringLiteral("Ber%")), and.Operands[0]);
    }

    [Fact]
    public void Bind_GeometryAlias_IsTheGeometryToo()
    {
        var filter = Bind("S_WITHIN(geom, BBOX(-180,-90,0,90)) AND geom IS NOT NULL", new Cql2BinderOptions { GeometryAliases = ["geom"] });

        Assert.Equal(Bind("S_WITHIN(geometry, BBOX(-180,-90,0,90)) AND geometry IS NOT NULL"), filter);
    }

    [Fact]
    public void Bind_PropertyNamedGeometry_WinsOverTheGeometryName()
    {
        var schema = Places with { Properties = [new PropertySchema("geometry", PropertyType.String)] };

        var filter = new Cql2Binder(schema).Bind(Cql2TextParser.Parse("geometry = 'x'"));

        Assert.Equal(new Comparison(ComparisonOperator.Equal, new PropertyRef("geometry"), new StringLiteral("x")), filter.Expression);
    }

    [Fact]
    public void Bind_UnknownProperty_NamesItAndItsPosition()
    {
        var error = Refuse("pop_max > 5 AND popu = 1");

        Assert.Equal("unknown property 'popu' at 16", error.Message);
        Assert.Equal(16, error.Position.Offset);
    }

    [Fact]
    public void Bind_PropertyInOtherCase_SuggestsTheRightName()
    {
        Assert.Equal("unknown property 'NAME' at 0 (did you mean 'name'?)", Refuse("NAME = 'x'").Message);
        Assert.Equal("unknown property 'Geometry' at 13 (did you mean 'geometry'?)", Refuse("S_INTERSECTS(Geometry, POINT(1 2))").Message);
    }

    [Fact]
    public void Bind_PropertyThatIsNotQueryable_IsRefused()
    {
        Assert.Contains("property 'tags' at 0 is not queryable", Refuse("tags = 'x'").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name = 5", 7, "type mismatch at 7: '=' compares property 'name' (string) with number 5")]
    [InlineData("5 < name", 4, "type mismatch at 4: '<' compares number 5 with property 'name' (string)")]
    [InlineData("capital = 'yes'", 10, "type mismatch at 10: '=' compares property 'capital' (boolean) with string 'yes'")]
    [InlineData("updated > 5", 10, "type mismatch at 10: '>' compares property 'updated' (timestamp) with number 5")]
    [InlineData("updated > 'yesterday'", 10, "'>' compares property 'updated' (timestamp) with string 'yesterday'")]
    [InlineData("name IN ('a', 2)", 14, "type mismatch at 14: IN compares property 'name' (string) with number 2")]
    [InlineData("pop_max LIKE '1%'", 0, "LIKE expects a string at 0 but found property 'pop_max' (integer)")]
    [InlineData("name LIKE 5", 10, "LIKE expects a string at 10 but found number 5")]
    [InlineData("name BETWEEN 'a' AND 'b'", 0, "BETWEEN expects a number at 0 but found property 'name' (string)")]
    [InlineData("pop_max = name + 1", 10, "'+' expects a number at 10 but found property 'name' (string)")]
    [InlineData("pop_max = -name", 11, "'-' expects a number at 11 but found property 'name' (string)")]
    [InlineData("CASEI(pop_max) = 'x'", 6, "CASEI expects a string at 6 but found property 'pop_max' (integer)")]
    [InlineData("ACCENTI(capital) = 'x'", 8, "ACCENTI expects a string at 8 but found property 'capital' (boolean)")]
    [InlineData("S_INTERSECTS(name, BBOX(0,0,1,1))", 13, "S_INTERSECTS expects a geometry at 13 but found property 'name' (string)")]
    [InlineData("S_WITHIN(geometry, 'POINT(1 2)')", 19, "S_WITHIN expects a geometry at 19 but found string 'POINT(1 2)'")]
    [InlineData("T_AFTER(name, DATE('2022-01-01'))", 8, "T_AFTER expects a date, a timestamp or an interval at 8 but found property 'name' (string)")]
    [InlineData("T_DURING(INTERVAL(name, updated), INTERVAL('2021-01-01', '..'))", 18, "an interval bound must be a date or a timestamp at 18 but found property 'name' (string)")]
    [InlineData("A_CONTAINS(name, ('a'))", 11, "A_CONTAINS expects an array at 11 but found property 'name' (string)")]
    [InlineData("geometry = POINT(1 2)", 0, "'=' cannot compare the geometry at 0; use S_EQUALS and the other spatial functions")]
    [InlineData("updated = INTERVAL('2021-01-01', '2022-01-01')", 10, "use T_EQUALS")]
    [InlineData("pop_max IN ((1, 2))", 12, "use A_EQUALS")]
    [InlineData("NOT CASEI(name)", 4, "expected a predicate at 4 but found CASEI(…)")]
    public void Bind_TypeMismatch_IsRefusedWithPosition(string text, int offset, string message)
    {
        var error = Refuse(text);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Position.Offset);
    }

    [Fact]
    public void Bind_ComparableKinds_AreAccepted()
    {
        Bind("pop_max = scalerank AND founded < updated AND capital <> TRUE AND name >= 'a' AND 'a' <= 'b' AND 1 = 1.5");
        Bind("pop_max BETWEEN scalerank AND 5 * 2 AND updated IS NULL AND geometry IS NULL AND NOT (name IS NOT NULL)");
        Bind("A_EQUALS(('a', 1), ('b')) AND S_INTERSECTS(POINT(1 2), BBOX(0, 0, 3, 3)) AND T_AFTER(DATE('2022-01-02'), TIMESTAMP('2022-01-01T00:00:00Z'))");
    }

    [Fact]
    public void Bind_StringComparedWithAnInstant_BecomesADateOrTimestamp()
    {
        var filter = Bind("updated = '2022-04-16T10:13:19Z' AND founded IN ('2022-04-14', '2022-04-15')");

        Assert.Equal(
            Bind("updated = TIMESTAMP('2022-04-16T10:13:19Z') AND founded IN (DATE('2022-04-14'), DATE('2022-04-15'))"),
            filter);
    }

    [Fact]
    public void Bind_Function_IsRefusedUnlessConfigured()
    {
        Assert.Equal("unsupported function 'avg' at 0", Refuse("avg(pop_max) > 5").Message);

        var options = new Cql2BinderOptions { Functions = [new Cql2Function("upper", Cql2Type.String, [Cql2Type.String])] };
        var filter = Bind("UPPER(name) = 'BERLIN'", options);
        Assert.IsType<FunctionCall>(((Comparison)filter.Expression).Left);
        Assert.Equal("function 'upper' at 0 takes 1 argument(s) but was given 2", Refuse("upper(name, 'x') = 'A'", options).Message);
        Assert.Contains("function 'upper' expects a string at 6 but found property 'pop_max' (integer)", Refuse("upper(pop_max) = 'A'", options).Message, StringComparison.Ordinal);
        Assert.Contains("type mismatch", Refuse("upper(name) = 5", options).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S_INTERSECTS(geometry, POINT(90 180))", "the position (90 180) of the geometry at 23 is outside CRS84")]
    [InlineData("S_INTERSECTS(geometry, LINESTRING(0 0, 181 0))", "the position (181 0) of the geometry at 23 is outside CRS84")]
    [InlineData("S_INTERSECTS(geometry, BBOX(-200, 0, 10, 10))", "the BBOX at 23 is outside CRS84")]
    [InlineData("S_INTERSECTS(geometry, BBOX(0, 50, 10, 40))", "the BBOX at 23 has its south edge (50) north of its north edge (40)")]
    [InlineData("S_INTERSECTS(geometry, BBOX(0, 0, 10, 0, 10, -10))", "the BBOX at 23 has its lowest height above its highest")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))", "the geometry at 23 is not valid: Self-intersection near (0.5 0.5)")]
    [InlineData("T_AFTER(updated, INTERVAL('2022-01-02', '2022-01-01'))", "the interval at 17 starts after it ends")]
    [InlineData("T_AFTER(updated, INTERVAL('2022-01-01T00:00:01Z', '2022-01-01T00:00:00Z'))", "the interval at 17 starts after it ends")]
    public void Bind_BadLiteral_IsRefused(string text, string message)
    {
        Assert.Contains(message, Refuse(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_BoxAcrossTheAntimeridianAndSameDayInterval_AreAccepted()
    {
        Bind("S_INTERSECTS(geometry, BBOX(150, -90, -150, 90)) AND T_EQUALS(founded, INTERVAL('2022-04-16', '2022-04-16'))");
        Bind("T_AFTER(updated, INTERVAL('2022-04-16', '2022-04-16T10:00:00Z'))");
    }

    [Fact]
    public void Bind_OtherCrsCoordinates_AreAcceptedWhenCheckingIsOff()
    {
        Bind("S_INTERSECTS(geometry, POINT(1500000 6000000))", new Cql2BinderOptions { RequireCrs84Coordinates = false });
    }

    [Fact]
    public void Bind_NonPredicateBuiltInCode_IsRefused()
    {
        var error = Assert.Throws<Cql2Exception>(() => new Cql2Binder(Places).Bind(new PropertyRef("name")));

        Assert.Contains("expected a predicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToProblem_Error_IsA400NamingTheFilterParameter()
    {
        var problem = Refuse("popu = 1").ToProblem();

        Assert.Equal(400, problem.Status);
        Assert.Equal("unknown property 'popu' at 0", problem.Message);
        Assert.Contains("'filter'", problem.Title, StringComparison.Ordinal);
    }
}
