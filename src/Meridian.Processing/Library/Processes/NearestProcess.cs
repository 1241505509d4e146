using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// The k nearest candidates of each input feature by great-circle distance: one output feature per pair, with the
/// candidate's geometry. Candidates are held in an R-tree searched in growing boxes that are certain to hold every
/// candidate within the distance tried (the search does not wrap across the antimeridian).
/// </summary>
public sealed class NearestProcess(ProcessIo io) : FeatureProcess(io)
{
    private const double MetresPerDegree = Geodesy.EarthRadius * Math.PI / 180;

    protected override string Id => "nearest";

    protected override string Title => "K nearest neighbours";

    protected override string Abstract =>
        "For each input feature, its 'k' nearest 'candidates' (great-circle distance between the nearest points): one feature per pair "
        + "with the candidate's geometry and 'from', 'to', 'rank' (1 = nearest) and 'distance_m'.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("candidates", "Candidates", "The features to find near each input feature.", FeatureInputs.Schema("The candidates")),
        new("k", "k", "How many neighbours per feature (default 1).", ProcessInput.IntegerSchema(1, 100), Required: false),
    ];

    protected override async Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var k = run.Inputs.Integer("k", 1, 100, 1);
        var candidates = await Io.Inputs.ReadAsync("candidates", run.Inputs.Find("candidates"), cancellationToken);
        List<PropertySchema> properties =
        [
            new("from", PropertyType.String), new("to", PropertyType.String), new("rank", PropertyType.Integer), new("distance_m", PropertyType.Number),
        ];
        return await WriteAsync(new FeatureSet(properties, candidates.GeometryType, PairsAsync(source, candidates, k)), run, cancellationToken);
    }

    private static async IAsyncEnumerable<FeatureRecord> PairsAsync(FeatureSet source, FeatureSet candidates, int k,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = await candidates.ToListAsync(cancellationToken);
        var tree = new STRtree<int>();
        for (var i = 0; i < all.Count; i++) tree.Insert(all[i].Geometry!.EnvelopeInternal, i);
        long pair = 0;
        await foreach (var feature in source.Features.WithCancellation(cancellationToken))
        {
            var rank = 0;
            foreach (var (index, distance) in Nearest(feature.Geometry!, all, tree, k))
            {
                var candidate = all[index];
                yield return new FeatureRecord((++pair).ToString(System.Globalization.CultureInfo.InvariantCulture), candidate.Geometry, new Dictionary<string, object?>
                {
                    ["from"] = feature.Id,
                    ["to"] = candidate.Id,
                    ["rank"] = (long)++rank,
                    ["distance_m"] = distance,
                });
            }
        }
    }

    private static IEnumerable<(int Index, double Distance)> Nearest(Geometry query, List<FeatureRecord> all, STRtree<int> tree, int k)
    {
        var envelope = query.EnvelopeInternal;
        for (var radius = 1000.0; ; radius *= 4)
        {
            var latitudes = radius / MetresPerDegree;
            var highest = Math.Min(89.999, Math.Max(Math.Abs(envelope.MinY), Math.Abs(envelope.MaxY)) + latitudes);
            var longitudes = radius / (MetresPerDegree * Math.Cos(highest * Math.PI / 180));
            var whole = radius >= Geodesy.MaxDistance || longitudes >= 180;
            var box = whole ? new Envelope(-180, 180, -90, 90) : new Envelope(envelope.MinX - longitudes, envelope.MaxX + longitudes, envelope.MinY - latitudes, envelope.MaxY + latitudes);
            var found = tree.Query(box).Select(i => (Index: i, Distance: Distance(query, all[i].Geometry!))).Where(c => whole || c.Distance <= radius).ToList();
            if (found.Count >= k || whole) return found.OrderBy(c => c.Distance).ThenBy(c => c.Index).Take(k);
        }
    }

    private static double Distance(Geometry a, Geometry b)
    {
        var nearest = DistanceOp.NearestPoints(a, b);
        return Geodesy.Distance(nearest[0], nearest[1]);
    }
}
