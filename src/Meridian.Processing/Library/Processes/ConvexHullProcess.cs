using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library.Processes;

/// <summary>The convex hull of all input geometries, as one feature with the number of features it encloses.</summary>
public sealed class ConvexHullProcess(ProcessIo io) : FeatureProcess(io)
{
    // Coordinates gathered before they are reduced to the hull's own: memory stays bounded whatever the input.
    private const int Batch = 100_000;

    protected override string Id => "convex-hull";

    protected override string Title => "Convex hull";

    protected override string Abstract => "The convex hull of every input geometry together (planar, in CRS84), with 'features': how many there were.";

    protected override Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken) =>
        WriteAsync(new FeatureSet([new PropertySchema("features", PropertyType.Integer)], GeometryKind.Geometry, HullAsync(source)), run, cancellationToken);

    private static async IAsyncEnumerable<FeatureRecord> HullAsync(FeatureSet source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var coordinates = new List<Coordinate>();
        long count = 0;
        await foreach (var feature in source.Features.WithCancellation(cancellationToken))
        {
            count++;
            coordinates.AddRange(feature.Geometry!.Coordinates);
            if (coordinates.Count < Batch) continue;
            var hull = Hull(coordinates).Coordinates;
            coordinates.Clear();
            coordinates.AddRange(hull);
        }
        if (count == 0) yield break;
        yield return new FeatureRecord("1", Hull(coordinates), new Dictionary<string, object?> { ["features"] = count });
    }

    private static Geometry Hull(List<Coordinate> coordinates) => new ConvexHull(coordinates.ToArray(), GeometryServices.Factory).GetConvexHull();
}
