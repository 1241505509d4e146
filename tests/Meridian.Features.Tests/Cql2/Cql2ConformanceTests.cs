using Meridian.Testing;
using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;

namespace Meridian.Features.Tests.Cql2;

/// <summary>
/// The abstract test suite of the standard (Annex A) against the queryables of the CQL2 test dataset: every
/// predicate it lists parses and binds, and the generic tests it builds from each queryable's type do too.
/// </summary>
public sealed class Cql2ConformanceTests
{
    public static readonly string[] Collections =
        ["ne_110m_admin_0_countries", "ne_110m_populated_places_simple", "ne_110m_rivers_lake_centerlines"];

    private static Cql2Binder BinderFor(string collection)
    {
        var queryables = QueryablesLoader.LoadTestDataset(collection);
        return new Cql2Binder(queryables.Schema, new Cql2BinderOptions { GeometryAliases = [queryables.GeometryName!] });
    }

    [Theory]
    [MemberData(nameof(Cql2ConformanceCases.Data), MemberType = typeof(Cql2ConformanceCases))]
    public void Bind_TestDataPredicate_IsAcceptedForItsCollection(string conformanceClass, string collection, string filter, int expectedCount)
    {
        _ = conformanceClass;
        Assert.InRange(expectedCount, 0, 243);
        var binder = BinderFor(collection);

        var bound = binder.Bind(Cql2TextParser.Parse(filter));

        Assert.Equal(bound, binder.Bind(Cql2TextParser.Parse(bound.ToString())));
    }

    [Fact]
    public void Load_TestDatasetQueryables_GivesTypedPropertiesAndTheGeometryName()
    {
        var places = QueryablesLoader.LoadTestDataset("ne_110m_populated_places_simple");

        Assert.Equal("geom", places.GeometryName);
        Assert.Equal(GeometryKind.Point, places.Schema.GeometryType);
        Assert.Equal(PropertyType.Integer, places.Schema.FindProperty("pop_max")!.Type);
        Assert.Equal(PropertyType.Date, places.Schema.FindProperty("date")!.Type);
        Assert.Equal(PropertyType.DateTime, places.Schema.FindProperty("start")!.Type);
        Assert.Equal(PropertyType.Boolean, places.Schema.FindProperty("boolean")!.Type);
        Assert.Equal(PropertyType.Number, QueryablesLoader.LoadTestDataset("ne_110m_admin_0_countries").Schema.FindProperty("POP_EST")!.Type);
    }

    [Theory]
    [InlineData("S_INTERSECTS(geom,POINT(90 180))")]
    [InlineData("S_DISJOINT(geom,POINT(90 180))")]
    [InlineData("S_INTERSECTS(geom,MULTIPOINT(7.02 49.92, 90 180))")]
    public void Bind_InvalidCoordinateFromTheTestSuite_ThrowsCql2Exception(string filter)
    {
        var error = Assert.Throws<Cql2Exception>(() => BinderFor("ne_110m_admin_0_countries").Bind(Cql2TextParser.Parse(filter)));

        Assert.Contains("outside CRS84", error.Message, StringComparison.Ordinal);
        Assert.Equal(filter.IndexOf(',', StringComparison.Ordinal) + 1, error.Position.Offset);
    }

    /// <summary>The "When" sections of Annex A: filters built from each queryable according to its type.</summary>
    public static TheoryData<string, string> GenericPredicates()
    {
        var data = new TheoryData<string, string>();
        foreach (var collection in Collections)
        {
            var queryables = QueryablesLoader.LoadTestDataset(collection);
            // Literal-only comparisons repeat for every property of a type; each is one test case.
            foreach (var filter in GenericPredicatesFor(queryables).Distinct()) data.Add(collection, filter);
        }
        return data;
    }

    private static IEnumerable<string> GenericPredicatesFor(QueryablesLoader.Queryables queryables)
    {
        foreach (var property in queryables.Schema.Properties)
        {
            var q = "\"" + property.Name + "\"";
            string? value = property.Type switch
            {
                PropertyType.String => "'foo'",
                PropertyType.Boolean => "true",
                PropertyType.Number => "3.14",
                PropertyType.Integer => "1",
                PropertyType.DateTime => "TIMESTAMP('2022-04-14T14:48:46Z')",
                PropertyType.Date => "DATE('2022-04-14')",
                _ => null,
            };
            if (value is null) continue;
            foreach (var op in new[] { "=", "<>", ">", "<", ">=", "<=" })
            {
                yield return $"{q} {op} {value}";
                yield return $"{value} {op} {q}";
                yield return $"{q} {op} {q}";
                yield return $"{value} {op} {value}";
            }
            yield return $"{q} IS NULL";
            yield return $"{q} is not null";
            switch (property.Type)
            {
                case PropertyType.String:
                    foreach (var pattern in new[] { "'%'", "'_%'", "''", "'%%'", @"'\%\_'" }) yield return $"{q} like {pattern}";
                    yield return $"{q} in ('foo', 'bar')";
                    yield return $"CASEI({q}) = casei('foo')";
                    yield return $"CASEI({q}) <> casei('FOO')";
                    yield return $"CASEI({q}) LIKE casei('foo%')";
                    yield return $"ACCENTI({q}) = accenti('äöüéáí')";
                    yield return $"ACCENTI({q}) <> accenti('aoueai')";
                    yield return $"ACCENTI({q}) LIKE accenti('Ä%')";
                    yield return $"ACCENTI(CASEI({q})) = accenti(casei('ÄÉ'))";
                    yield return $"ACCENTI(CASEI({q})) LIKE accenti(casei('a%'))";
                    break;
                case PropertyType.Integer or PropertyType.Number:
                    yield return $"{q} BETWEEN 0 AND 100";
                    yield return $"{q} between 100.0 and 1.0";
                    yield return $"{q} IN (1, 2, 3)";
                    yield return $"{q} > {q} * 2 + 1 - -3 / 4 % 5 div 6 ^ 2";
                    break;
                case PropertyType.Boolean:
                    yield return $"{q} in (true)";
                    break;
                case PropertyType.DateTime:
                    yield return $"{q} in ('2022-04-14T14:52:56Z', '2022-04-14T15:52:56Z')";
                    foreach (var f in new[] { "T_AFTER", "T_BEFORE", "T_DISJOINT", "T_EQUALS", "T_INTERSECTS" })
                    {
                        yield return $"{f}({q},TIMESTAMP('2022-04-24T07:59:57Z'))";
                        yield return $"{f}({q},INTERVAL('2021-01-01T00:00:00Z','2021-12-31T23:59:59Z'))";
                    }
                    foreach (var other in queryables.Schema.Properties.Where(p => p.Type == PropertyType.DateTime))
                    {
                        foreach (var f in Enum.GetValues<TemporalOperator>())
                        {
                            yield return $"{f.ToText()}(INTERVAL({q},\"{other.Name}\"),INTERVAL('2021-01-01T00:00:00Z','2021-12-31T23:59:59Z'))";
                        }
                    }
                    break;
                case PropertyType.Date:
                    yield return $"{q} in ('2022-04-14', '2022-04-15')";
                    foreach (var f in new[] { "T_AFTER", "T_BEFORE", "T_DISJOINT", "T_EQUALS", "T_INTERSECTS" })
                    {
                        yield return $"{f}({q},DATE('2022-04-24'))";
                        yield return $"{f}({q},INTERVAL('2021-01-01','2021-12-31'))";
                    }
                    break;
            }
        }
        foreach (var g in new[] { "geometry", queryables.GeometryName! })
        {
            foreach (var f in Enum.GetValues<SpatialOperator>())
            {
                yield return $"{f.ToText()}({g},BBOX(-180,-90,180,90))";
                yield return $"{f.ToText()}({g},POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90)))";
                yield return $"{f.ToText()}({g},LINESTRING(7 50,10 51))";
                yield return $"{f.ToText()}({g},POINT(7.02 49.92))";
                yield return $"{f.ToText()}({g},MULTIPOINT(7 50,10 51))";
            }
            yield return $"S_INTERSECTS({g},BBOX(-180,-90,-90,90)) AND S_INTERSECTS({g},BBOX(90,-90,180,90))";
            yield return $"S_INTERSECTS({g},LINESTRING(-180 -45, 0 -45))";
            yield return $"S_INTERSECTS({g},MULTILINESTRING((-180 -45, 0 -45), (0 45, 180 45)))";
            yield return $"S_INTERSECTS({g},GEOMETRYCOLLECTION(POINT(7.02 49.92), POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))))";
            yield return $"{g} IS NOT NULL";
        }
        yield return "true";
        yield return "false";
    }

    [Theory]
    [MemberData(nameof(GenericPredicates))]
    public void Bind_GenericTestSuitePredicate_IsAccepted(string collection, string filter)
    {
        var filterExpression = Cql2TextParser.Parse(filter);

        var bound = BinderFor(collection).Bind(filterExpression);

        Assert.NotNull(bound.Expression);
    }

    /// <summary>Annex A's "logical" test: <c>((NOT p1 AND p2) OR (p3 and NOT p4) or not (p1 AND p4))</c> from stored predicates.</summary>
    [Theory]
    [InlineData("ne_110m_admin_0_countries", 11)]
    [InlineData("ne_110m_populated_places_simple", 12)]
    [InlineData("ne_110m_rivers_lake_centerlines", 13)]
    public void Bind_RandomLogicalCombinationsOfStoredPredicates_AreAccepted(string collection, int seed)
    {
        var stored = Cql2ConformanceCases.All.Where(c => c.Collection == collection).Select(c => c.Filter)
            .Concat(GenericPredicatesFor(QueryablesLoader.LoadTestDataset(collection)))
            .ToArray();
        var random = new Random(seed);
        var binder = BinderFor(collection);

        for (var i = 0; i < 50; i++)
        {
            var p = Enumerable.Range(0, 4).Select(_ => stored[random.Next(stored.Length)]).ToArray();
            var filter = $"((NOT {p[0]} AND {p[1]}) OR ({p[2]} and NOT {p[3]}) or not ({p[0]} AND {p[3]}))";

            var bound = binder.Bind(Cql2TextParser.Parse(filter));

            Assert.IsType<Or>(bound.Expression);
        }
    }
}
