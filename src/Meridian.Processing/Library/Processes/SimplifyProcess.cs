using System.Text.Json.Nodes;
using NetTopologySuite.Simplify;

namespace Meridian.Processing.Library.Processes;

/// <summary>Simplifies geometries without breaking their topology (rings stay valid, no part vanishes).</summary>
public sealed class SimplifyProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "simplify";

    protected override string Title => "Simplify (topology-preserving)";

    protected override string Abstract =>
        "Simplifies each geometry with a Douglas-Peucker tolerance of 'tolerance' metres (in the feature's UTM zone), preserving its topology.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("tolerance", "Tolerance", "The largest distance in metres a simplified line may move from the original.", ProcessInput.NumberSchema(0, BufferProcess.MaxDistance)),
    ];

    protected override Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var tolerance = run.Inputs.Number("tolerance", 0, BufferProcess.MaxDistance);
        return WriteAsync(source.MapGeometry(source.GeometryType, g => Geodesy.InMetres(g, p => TopologyPreservingSimplifier.Simplify(p, tolerance))), run, cancellationToken);
    }
}
