using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Notifications;

/// <summary>
/// The "notify" process: a workflow's way to tell its subscribers something (a result is ready, where it is).
/// It records a <c>workflow.notify</c> event for the execution's job, carrying the message and data; webhook
/// subscribers of that topic receive it like any other event. Recording it again after a restart sends the
/// message again under a new event id: receivers see at-least-once here, as for the step it reports.
/// </summary>
public sealed class NotifyProcess(IJobStore jobs, NotificationOutbox outbox, CollectionCatalog catalog) : IProcess
{
    public const string Id = "notify";

    public ProcessDescription Description { get; } = new(Id, "Notify subscribers",
        "Sends a message with optional data to the subscribers of the workflow.notify topic.", "1.0.0",
        new JsonObject
        {
            ["execution"] = Input("The workflow execution (job) the message is about: \"execution.$\": \"$$.Execution.Id\".", "string", 1),
            ["message"] = Input("The message.", "string", 1),
            ["data"] = Input("Anything else to send along, such as the key of an exported file.", null, 0),
        },
        new JsonObject { ["event"] = new JsonObject { ["title"] = "The id of the recorded event", ["schema"] = new JsonObject { ["type"] = "string" } } });

    /// <summary>In the caller's request (an asynchronous execution's worker sees every job): the job must be one it sees.</summary>
    public async Task AdmitAsync(JsonObject inputs, CancellationToken cancellationToken) => await JobAsync(inputs, cancellationToken);

    public async Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken)
    {
        var inputs = execution.Inputs;
        var job = await JobAsync(inputs, cancellationToken);
        var message = Text(inputs, "message");
        var e = NotificationEvent.ForJob(job, NotificationTopics.WorkflowNotify) with
        {
            Data = new JsonObject { ["message"] = message, ["data"] = inputs["data"]?.DeepClone() },
        };
        await outbox.RecordAsync(e, cancellationToken);
        return new JsonObject { ["event"] = e.Id };
    }

    /// <summary>
    /// The job the message is about, if the caller (a workflow's starter, as its steps act for it) sees it: another
    /// tenant's job does not exist for it, so it cannot speak to that job's subscribers.
    /// </summary>
    private async Task<JobRecord> JobAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var jobId = Text(inputs, "execution");
        return await jobs.GetAsync(jobId, cancellationToken) is { } job && catalog.JobVisibility()?.Sees(job) != false
            ? job
            : throw new ProcessInputException("execution", $"There is no job '{jobId}'.");
    }

    private static string Text(JsonObject inputs, string name) =>
        inputs[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new ProcessInputException(name, $"{name} is a non-empty string.");

    private static JsonObject Input(string description, string? type, int minOccurs) => new()
    {
        ["description"] = description,
        ["schema"] = type is null ? new JsonObject() : new JsonObject { ["type"] = type },
        ["minOccurs"] = minOccurs,
    };
}
