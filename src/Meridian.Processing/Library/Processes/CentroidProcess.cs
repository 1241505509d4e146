using System.Text.Json.Nodes;
using Meridian.Storage.Schema;

namespace Meridian.Processing.Library.Processes;

/// <summary>Replaces each geometry by its centroid, computed in longitude and latitude as PostGIS's ST_Centroid(geometry) does.</summary>
public sealed class CentroidProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "centroid";

    protected override string Title => "Centroid";

    protected override string Abstract => "The centroid of each feature's geometry (planar, in CRS84 coordinates), with the feature's properties.";

    protected override Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken) =>
        WriteAsync(source.MapGeometry(GeometryKind.Point, g => g.Centroid), run, cancellationToken);
}
