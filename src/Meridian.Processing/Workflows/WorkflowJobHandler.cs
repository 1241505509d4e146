using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Processing.Jobs;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Runs jobs of type "workflow": reads the execution's checkpoint (or starts one), runs the remaining states and
/// turns the end into the job's outcome. A worker that dies mid-workflow leaves the checkpoint of its last step;
/// the worker that claims the job again continues from there.
/// </summary>
public sealed class WorkflowJobHandler(IObjectStore objects, IEnumerable<IProcess> processes, IWorkflowEvents events, ILogger<WorkflowJobHandler> logger)
    : IJobHandler
{
    public const string JobType = "workflow";

    private readonly Dictionary<string, IProcess> _processes = processes.ToDictionary(p => p.Description.Id, StringComparer.Ordinal);

    public string Type => JobType;

    public static ObjectKey CheckpointKey(string jobId) => ReservedDocuments.Key($"workflows/executions/{jobId}.json");

    public async Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        var inputs = WorkflowJobInputs.Read(job.Inputs);
        WorkflowDefinition definition;
        try
        {
            definition = WorkflowParser.Parse(inputs.Definition, _processes.Keys.ToHashSet(StringComparer.Ordinal));
        }
        catch (WorkflowDefinitionException e)
        {
            return JobOutcome.Failed(e.Message);
        }
        var key = CheckpointKey(job.Id);
        var documents = new ReservedDocuments(objects);
        var checkpoint = await documents.ReadAsync<WorkflowCheckpoint>(key, WorkflowCheckpoint.Json, cancellationToken)
            ?? new WorkflowCheckpoint { Workflow = definition.Name, Root = new BranchRun { State = definition.Machine.StartAt, Data = inputs.Input } };
        if (!checkpoint.Root.Ended)
        {
            var context = new WorkflowRunContext(job, _processes, objects, key, progress, events, TimeProvider.System, logger);
            await new WorkflowRun(definition, checkpoint, context).RunAsync(cancellationToken);
        }
        return Outcome(definition, checkpoint);
    }

    private static JobOutcome Outcome(WorkflowDefinition definition, WorkflowCheckpoint checkpoint)
    {
        var root = checkpoint.Root;
        var steps = checkpoint.History.Count + checkpoint.HistoryDropped;
        if (root.Error is { } error)
        {
            var failedAt = checkpoint.History.LastOrDefault(h => h.Outcome == StepOutcome.Failed)?.Path;
            return JobOutcome.Failed($"workflow '{definition.Name}' failed at {failedAt}: {error}: {root.Cause}");
        }
        var results = new JsonObject
        {
            ["workflow"] = definition.Name,
            ["output"] = root.Data?.DeepClone(),
            ["history"] = JsonSerializer.SerializeToNode(checkpoint.History, WorkflowCheckpoint.Json),
        };
        return JobOutcome.Succeeded($"workflow '{definition.Name}' succeeded in {steps} steps", results.ToJsonString());
    }
}

/// <summary>
/// A workflow job's inputs: the definition as it was when the execution started (replacing the workflow later does
/// not change running executions) and the execution's input.
/// </summary>
public sealed record WorkflowJobInputs(string Workflow, JsonObject Definition, JsonNode? Input)
{
    public static WorkflowJobInputs Read(string json) =>
        JsonSerializer.Deserialize<WorkflowJobInputs>(json, WorkflowCheckpoint.Json) ?? throw new InvalidOperationException("The job has no inputs.");

    public string ToJson() => JsonSerializer.Serialize(this, WorkflowCheckpoint.Json);
}
