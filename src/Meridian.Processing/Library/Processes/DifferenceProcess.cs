using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
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
        return await WriteAsync(source.MapGeometry(Shapes.Multi(source.GeometryType), g => prepared.Intersects(g) ? Subtract(g, mask) : g), run, cancellationToken);
    }

    /// <summary>
    /// <paramref name="geometry"/> minus <paramref name="mask"/>. NetTopologySuite's difference takes no GeometryCollection
    /// on either side (the union of points and polygons is one, as is an input feature's collection): those go part by part.
    /// </summary>
    private static Geometry Subtract(Geometry geometry, Geometry mask)
    {
        // Multi* types are GeometryCollections to .NET too, and the overlay takes those: only the mixed kind is split.
        if (mask is GeometryCollection { OgcGeometryType: OgcGeometryType.GeometryCollection } masks) return masks.Geometries.Aggregate(geometry, Subtract);
        if (geometry is not GeometryCollection { OgcGeometryType: OgcGeometryType.GeometryCollection } collection) return geometry.Difference(mask);
        return geometry.Factory.BuildGeometry(collection.Geometries.Select(part => Subtract(part, mask)).Where(part => !part.IsEmpty).ToList());
    }
}
