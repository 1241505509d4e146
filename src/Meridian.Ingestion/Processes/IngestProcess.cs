using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Problems;
using Meridian.Ingestion.Jobs;
using Meridian.Processing.Library;
using Meridian.Processing.Processes;

namespace Meridian.Ingestion.Processes;

/// <summary>
/// Ingest as a process, so that a workflow can start with loading a file (see examples/workflows). Its inputs
/// are an ingest job's (object, collection, mode, layer, crs, invalidGeometries), so an asynchronous execution is
/// an ordinary ingest job, run by <see cref="IngestJobHandler"/>; its output is the ingest report.
/// </summary>
public sealed class IngestProcess(IngestJobHandler ingest, CollectionCatalog catalog) : IProcess
{
    public const string ReportName = "report";

    public ProcessDescription Description { get; } = new(IngestJobHandler.JobType, "Ingest a file",
        "Loads a file from the object store (GeoJSON, CSV, zipped Shapefile, GeoPackage, GPX, KML, FlatGeobuf) into a collection, validated and reprojected.",
        "1.0.0",
        Inputs(
            new("object", "File", "The object key of the file, e.g. raw/2026/11/30/places.geojson.", ProcessInput.TextSchema()),
            new("collection", "Collection", "The collection to load into.", ProcessInput.TextSchema()),
            new("mode", "Mode", "create (default), append or replace.", ProcessInput.TextSchema("create", "append", "replace"), Required: false),
            new("layer", "Layer", "The layer of a GeoPackage or KML file.", ProcessInput.TextSchema(), Required: false),
            new("crs", "CRS", "The EPSG code of the file's CRS, for files that declare none or a wrong one.", ProcessInput.IntegerSchema(1, 999_999), Required: false),
            new("invalidGeometries", "Invalid geometries", "repair (default) or reject.", ProcessInput.TextSchema("repair", "reject"), Required: false)),
        new JsonObject
        {
            [ReportName] = new JsonObject
            {
                ["title"] = "The ingest report: collection, read, loaded, repaired, rejected and every rejected record",
                ["schema"] = new JsonObject { ["type"] = "object" },
            },
        });

    /// <summary>As <c>POST /ingest</c>: another tenant's collection is not there to load into; a new one becomes the caller's.</summary>
    public async Task AdmitAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var collection = Read(inputs).Collection;
        try
        {
            await catalog.RequireOrClaimAsync(collection, cancellationToken);
        }
        catch (ProblemException)
        {
            throw new ProcessInputException("collection", $"collection: there is no collection '{collection}'.");
        }
    }

    public async Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var inputs = Read(execution.Inputs);
        try
        {
            var report = await ingest.IngestAsync(inputs, execution.JobId ?? Guid.NewGuid().ToString("N"), execution.Progress, cancellationToken);
            return new JsonObject { [ReportName] = JsonSerializer.SerializeToNode(report, IngestJobInputs.Json) };
        }
        catch (IngestFailedException e)
        {
            throw new ProcessInputException("object", e.Message);
        }
    }

    private static IngestJobInputs Read(JsonObject json)
    {
        IngestJobInputs inputs;
        try
        {
            inputs = json.Deserialize<IngestJobInputs>(IngestJobInputs.Json) ?? throw new JsonException("no inputs");
        }
        catch (JsonException e)
        {
            throw new ProcessInputException(e.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "inputs", $"The ingest inputs are invalid: {e.Message}");
        }
        // Each problem starts with the name of the input it is about ("object: …").
        if (inputs.Problems() is [var first, ..]) throw new ProcessInputException(first[..first.IndexOf(':', StringComparison.Ordinal)], first);
        return inputs;
    }

    private static JsonObject Inputs(params ProcessInput[] inputs) => new(inputs.Select(i => KeyValuePair.Create(i.Name, (JsonNode?)i.ToJson())));
}
