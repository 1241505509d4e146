using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// The area and length of each feature, and their totals. Geodesic on the sphere by default (any size, any
/// latitude); planar in a projected CRS when <c>crs</c> names one (then in that CRS's units).
/// </summary>
public sealed class MeasureProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "area-length";

    protected override string Title => "Area and length statistics";

    protected override string Abstract =>
        "Adds 'area' (m², polygons) and 'length' (m: lines, or the perimeter of polygons) to each feature, geodesic on a sphere of the "
        + "Earth's mean radius; with 'crs' (a projected CRS) planar in that CRS's units. The 'summary' output has count, sums, minimum, maximum and mean.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("crs", "Projected CRS", "Measure planar in this projected CRS instead of on the sphere.", ProcessInput.TextSchema(), Required: false),
    ];

    protected override JsonObject ExtraOutputs => new()
    {
        ["summary"] = new JsonObject { ["title"] = "Totals", ["schema"] = new JsonObject { ["type"] = "object" } },
    };

    private sealed class Totals
    {
        public long Count;
        public Statistics Area = new();
        public Statistics Length = new();
    }

    private sealed class Statistics
    {
        public double Sum;
        public double Min = double.PositiveInfinity;
        public double Max = double.NegativeInfinity;

        public void Add(double value)
        {
            Sum += value;
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }

        public JsonObject ToJson(long count) => count == 0
            ? new JsonObject { ["sum"] = 0 }
            : new JsonObject { ["sum"] = Sum, ["min"] = Min, ["max"] = Max, ["mean"] = Sum / count };
    }

    protected override async Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        Crs? crs = null;
        if (run.Inputs.Text("crs") is { } text && (!CrsRegistry.TryParse(text, out crs) || crs.IsGeographic))
            throw new ProcessInputException("crs", $"'{text}' is not a projected CRS Meridian carries.");
        var properties = source.Properties.Where(p => p.Name is not ("area" or "length"))
            .Concat([new PropertySchema("area", PropertyType.Number), new PropertySchema("length", PropertyType.Number)]).ToList();
        var totals = new Totals();
        var results = await WriteAsync(new FeatureSet(properties, source.GeometryType, MeasureAsync(source, crs, totals)) { Srid = source.Srid }, run, cancellationToken);
        results["summary"] = new JsonObject
        {
            ["count"] = totals.Count,
            ["units"] = crs is null ? "m" : $"units of {crs.Uri}",
            ["area"] = totals.Area.ToJson(totals.Count),
            ["length"] = totals.Length.ToJson(totals.Count),
        };
        return results;
    }

    /// <summary>Measures as the features stream out; the totals are those of the last enumeration (an output written twice counts once).</summary>
    private static async IAsyncEnumerable<FeatureRecord> MeasureAsync(FeatureSet source, Crs? crs, Totals totals,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (totals.Count, totals.Area, totals.Length) = (0, new Statistics(), new Statistics());
        await foreach (var feature in source.Features.WithCancellation(cancellationToken))
        {
            var geometry = feature.Geometry!;
            var projected = crs is null ? null : crs.FromCrs84(geometry)
                ?? throw new ProcessInputException(InputName, $"A geometry lies outside the area {crs.Uri} can express.");
            var area = projected?.Area ?? Geodesy.Area(geometry);
            // NetTopologySuite's Length of a polygon is its perimeter, every ring, as on the sphere.
            var length = projected?.Length ?? Geodesy.Length(geometry);
            totals.Count++;
            totals.Area.Add(area);
            totals.Length.Add(length);
            var values = new Dictionary<string, object?>(feature.Properties, StringComparer.Ordinal) { ["area"] = area, ["length"] = length };
            yield return feature with { Properties = values };
        }
    }
}
