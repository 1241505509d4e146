using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Meridian.Processing.Library.Processes;

/// <summary>Clips every geometry to a polygon: what lies inside it is kept, features entirely outside are dropped.</summary>
public sealed class ClipProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "clip";

    protected override string Title => "Clip (intersection with a polygon)";

    protected override string Abstract => "The part of each geometry inside 'clip' (a GeoJSON Polygon or MultiPolygon in CRS84); features outside it are dropped.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("clip", "Clip polygon", "A GeoJSON Polygon or MultiPolygon in CRS84.", new JsonObject { ["type"] = "object", ["contentMediaType"] = "application/geo+json" }),
    ];

    protected override Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var clip = GeoJsonFeatures.ReadGeometry("clip", "'clip'", run.Inputs.Find("clip"));
        if (clip is not (Polygon or MultiPolygon)) throw new ProcessInputException("clip", "'clip' must be a Polygon or MultiPolygon.");
        if (!clip.IsValid) throw new ProcessInputException("clip", "'clip' is not a valid polygon (it intersects itself or its rings are wrong).");
        var prepared = PreparedGeometryFactory.Prepare(clip);
        return WriteAsync(source.MapGeometry(Shapes.Multi(source.GeometryType), g =>
            prepared.ContainsProperly(g) ? g : prepared.Intersects(g) ? g.Intersection(clip) : null), run, cancellationToken);
    }
}
