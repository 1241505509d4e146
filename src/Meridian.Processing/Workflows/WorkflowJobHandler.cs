using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Processing.Jobs;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Runs jobs of type "workflow": reads the execution's checkpoint (or starts one), runs the remaining states and
/// turns the end into the job's outcome. A worker that dies mid-workflow leaves the checkpoint of its last step;
/// the worker that claims the job again continues from there. With tenants, every step runs as the caller that
/// started the execution (the job's owner): it reads and writes only what that caller could.
/// </summary>
/// <param name="maxSteps">The most steps an execution takes (<see cref="WorkflowRun.MaxSteps"/>); smaller in tests.</param>
public sealed class WorkflowJobHandler(
    IObjectStore objects, IEnumerable<IProcess> processes, CollectionCatalog catalog, IWorkflowEvents events, ILogger<WorkflowJobHandler> logger,
    int maxSteps = WorkflowRun.MaxSteps)
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
            // The worker itself sees every tenant's collections; the steps must see only what the starter did.
            using var caller = catalog.ActAs(inputs.Caller(job));
            var context = new WorkflowRunContext(job, _processes, objects, key, progress, events, TimeProvider.System, logger, maxSteps);
            await new WorkflowRun(definition, checkpoint, context).RunAsync(cancellationToken);
        }
        return Outcome(definition, checkpoint);
    }

    private static JobOutcome Outcome(WorkflowDefinition definition, WorkflowCheckpoint checkpoint)
    {
        var root = checkpoint.Root;
        var steps = checkpoint.Steps;
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
/// not change running executions), the execution's input, and whether an admin started it (the starter's tenant is
/// the job's owner; an execution from before tenancy runs as an anonymous caller, on public collections only).
/// </summary>
public sealed record WorkflowJobInputs(string Workflow, JsonObject Definition, JsonNode? Input, bool StartedByAdmin = false)
{
    /// <summary>Who the steps act for: the job's owner tenant, with an admin's sight if an admin started it.</summary>
    public TenantCaller Caller(JobRecord job) => new(job.Owner, StartedByAdmin);

    public static WorkflowJobInputs Read(string json) =>
        JsonSerializer.Deserialize<WorkflowJobInputs>(json, WorkflowCheckpoint.Json) ?? throw new InvalidOperationException("The job has no inputs.");

    public string ToJson() => JsonSerializer.Serialize(this, WorkflowCheckpoint.Json);
}
