using BenchmarkDotNet.Attributes;
using Meridian.Features.Cql2;
using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;

namespace Meridian.Bench.Cql2;

/// <summary>
/// The cost of turning the typical filter of issue 3 into a checked <see cref="Filter"/>: cql2-text parsing (the
/// figure the issue bounds at 20 µs), the same filter in cql2-json, and parsing plus binding to a schema.
/// </summary>
public class Cql2ParseBenchmarks
{
    public const string Text = "name LIKE 'Ber%' AND pop_max > 1000000 AND S_INTERSECTS(geometry, BBOX(0,40,20,55))";

    public const string Json = """
        {"op":"and","args":[
          {"op":"like","args":[{"property":"name"},"Ber%"]},
          {"op":">","args":[{"property":"pop_max"},1000000]},
          {"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[0,40,20,55]}]}]}
        """;

    private static readonly CollectionSchema Schema = new(
        "places", "Places", null, GeometryKind.Point, 4326, FeatureIdKind.Integer,
        [new PropertySchema("name", PropertyType.String), new PropertySchema("pop_max", PropertyType.Integer)],
        null);

    private readonly Cql2Binder _binder = new(Schema);

    [Benchmark(Baseline = true)]
    public Expression ParseText() => Cql2TextParser.Parse(Text);

    [Benchmark]
    public Expression ParseJson() => Cql2JsonParser.Parse(Json);

    [Benchmark]
    public Filter ParseTextAndBind() => _binder.Bind(Cql2TextParser.Parse(Text));
}
