using System.Text.Json.Nodes;
using Meridian.Storage.Analysis;
using Meridian.Storage.Schema;

namespace Meridian.Processing.Library.Processes;

/// <summary>
/// Buffers each geometry by a distance in metres (negative shrinks polygons), optionally dissolving the buffers
/// into one. From a PostGIS collection into a new PostGIS collection it runs as one SQL statement.
/// </summary>
public sealed class BufferProcess(ProcessIo io) : FeatureProcess(io)
{
    public const double MaxDistance = 1_000_000;

    protected override string Id => "buffer";

    protected override string Title => "Buffer";

    protected override string Abstract =>
        "Buffers each feature's geometry by 'distance' metres, computed in the UTM zone of the feature (PostGIS: geography ST_Buffer). "
        + "With 'dissolve' the buffers are unioned into one feature.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("distance", "Distance", "The buffer distance in metres; negative shrinks polygons.", ProcessInput.NumberSchema(-MaxDistance, MaxDistance)),
        new("dissolve", "Dissolve", "Union the buffers into one feature (default false).", new JsonObject { ["type"] = "boolean" }, Required: false),
    ];

    protected override async Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var distance = run.Inputs.Number("distance", -MaxDistance, MaxDistance);
        var dissolve = run.Inputs.Boolean("dissolve", false);
        var buffered = source.MapGeometry(GeometryKind.MultiPolygon, g => Geodesy.InMetres(g, p => PlanarBuffer.Of(p, distance), "distance"));
        var result = dissolve ? Dissolver.Dissolve(buffered, null) : buffered;
        var inStore = await Io.Outputs.TryRunInStoreAsync(run.Target, Id, source, result,
            (origin, target) => new GeometrySqlOperation(origin.Collection, origin.Filter, distance, dissolve, null, target), cancellationToken);
        return inStore is null ? await WriteAsync(result, run, cancellationToken) : new JsonObject { [ResultName] = inStore };
    }
}
