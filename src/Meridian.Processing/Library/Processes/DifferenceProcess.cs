using System.Text.Json.Nodes;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;

namespace Meridian.Processing.Library.Processes;

/// <summary>Subtracts other features' geometries from every input geometry; what is left empty is dropped.</summary>
public sealed class DifferenceProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "difference";

    protected override string Title => "Difference";

    protected override string Abstract => "Each input geometry minus the union of the 'subtract' features' geometries; features left empty are dropped.";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("subtract", "Features to subtract", "The features whose geometries are removed.", FeatureInputs.Schema("The features to subtract")),
    ];

    protected override async Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var subtract = await Io.Inputs.ReadAsync("subtract", run.Inputs.Find("subtract"), cancellationToken);
        var mask = UnaryUnionOp.Union((await subtract.ToListAsync(cancellationToken)).Select(f => f.Geometry!).ToList());
        if (mask is null || mask.IsEmpty) return await WriteAsync(source, run, cancellationToken);
        var prepared = PreparedGeometryFactory.Prepare(mask);
        return await WriteAsync(source.MapGeometry(Shapes.Multi(source.GeometryType), g => prepared.Intersects(g) ? g.Difference(mask) : g), run, cancellationToken);
    }
}
