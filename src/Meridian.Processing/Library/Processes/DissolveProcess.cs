using System.Text.Json.Nodes;
using Meridian.Storage.Analysis;

namespace Meridian.Processing.Library.Processes;

/// <summary>Unions the geometries into one feature per value of a property (or one in all); in PostGIS as one ST_Union … GROUP BY.</summary>
public sealed class DissolveProcess(ProcessIo io) : FeatureProcess(io)
{
    protected override string Id => "dissolve";

    protected override string Title => "Dissolve (union by attribute)";

    protected override string Abstract => "Unions the geometries of the features that share a value of 'by' (all features when 'by' is omitted).";

    protected override IReadOnlyList<ProcessInput> Parameters =>
    [
        new("by", "Dissolve by", "The property whose values group the features.", ProcessInput.TextSchema(), Required: false),
    ];

    protected override async Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken)
    {
        var by = Dissolver.ByProperty(source, "by", run.Inputs.Text("by"));
        var result = Dissolver.Dissolve(source, by);
        var inStore = await Io.Outputs.TryRunInStoreAsync(run.Target, Id, source, result,
            (origin, target) => new GeometrySqlOperation(origin.Collection, origin.Filter, null, true, by?.Name, target), cancellationToken);
        return inStore is null ? await WriteAsync(result, run, cancellationToken) : new JsonObject { [ResultName] = inStore };
    }
}
