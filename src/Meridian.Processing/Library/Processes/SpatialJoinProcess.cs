using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// Counts the points inside (or on the edge of) each polygon, and sums and averages a numeric property of them.
/// The polygons are held in an R-tree; the points stream past it.
/// </summary>
public sealed class SpatialJoinProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "spatial-join";

    protected override string Title => "Spatial join (points in polygons)";

    protected override string Abstract =>
        "For each input polygon: 'count', the points of 'points' inside or on it, and with 'property' the sum and average of that numeric property "
        + "('{property}_sum', '{property}_avg'). Non-point features count by their interior point.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("points", "Points", "The features to count.", FeatureInputs.Schema("The points to count")),
        new("property", "Property", "A numeric property of the points to sum and average.", ProcessInput.TextSchema(), Required: false),
    ];

    protected override async Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var points = await Io.Inputs.ReadAsync("points", run.Inputs.Find("points"), cancellationToken);
        var property = run.Inputs.Text("property") is { } name
            ? points.Properties.FirstOrDefault(p => p.Name == name && p.Type is PropertyType.Integer or PropertyType.Number)
                ?? throw new ProcessInputException("property", $"The points have no numeric property '{name}'.")
            : null;
        List<PropertySchema> added = [new("count", PropertyType.Integer)];
        if (property is not null) added.AddRange([new($"{property.Name}_sum", PropertyType.Number), new($"{property.Name}_avg", PropertyType.Number)]);
        var properties = source.Properties.Where(p => added.All(a => a.Name != p.Name)).Concat(added).ToList();
        return await WriteAsync(new FeatureSet(properties, source.GeometryType, JoinAsync(source, points, property)), run, cancellationToken);
    }

    private sealed class Target(FeatureRecord feature)
    {
        public FeatureRecord Feature { get; } = feature;
        public IndexedPointInAreaLocator Locator { get; } = new(feature.Geometry!);
        public long Count { get; set; }
        public double Sum { get; set; }
        public long Summed { get; set; }
    }

    private static async IAsyncEnumerable<FeatureRecord> JoinAsync(FeatureSet polygons, FeatureSet points, PropertySchema? property,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var targets = (await polygons.ToListAsync(cancellationToken)).Select(f => new Target(f)).ToList();
        var tree = new STRtree<Target>();
        foreach (var target in targets) tree.Insert(target.Feature.Geometry!.EnvelopeInternal, target);
        await foreach (var point in points.Features.WithCancellation(cancellationToken))
        {
            var position = point.Geometry is Point p ? p.Coordinate : point.Geometry!.InteriorPoint.Coordinate;
            var value = property is null ? null : point.Properties.GetValueOrDefault(property.Name) switch
            {
                long l => (double?)l,
                double d => d,
                _ => null,
            };
            foreach (var target in tree.Query(new Envelope(position)))
            {
                if (target.Locator.Locate(position) == Location.Exterior) continue;
                target.Count++;
                if (value is not { } v) continue;
                target.Sum += v;
                target.Summed++;
            }
        }
        foreach (var target in targets)
        {
            var values = new Dictionary<string, object?>(target.Feature.Properties, StringComparer.Ordinal) { ["count"] = target.Count };
            if (property is not null)
            {
                values[$"{property.Name}_sum"] = target.Sum;
                values[$"{property.Name}_avg"] = target.Summed == 0 ? null : target.Sum / target.Summed;
            }
            yield return target.Feature with { Properties = values };
        }
    }
}
