using System.Text.Json;
using System.Text.Json.Serialization;
using Meridian.Processing.Workflows;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Notifications;

/// <summary>The topics a subscription can ask for: a job's status changes and the steps of workflow executions.</summary>
public static class NotificationTopics
{
    public const string JobAccepted = "job.accepted";
    public const string JobRunning = "job.running";
    public const string JobSuccessful = "job.successful";
    public const string JobFailed = "job.failed";
    public const string JobDismissed = "job.dismissed";
    public const string WorkflowStep = "workflow.step";

    /// <summary>A message a workflow sends on purpose, with its "notify" Task state.</summary>
    public const string WorkflowNotify = "workflow.notify";

    public static readonly IReadOnlyList<string> All = [JobAccepted, JobRunning, JobSuccessful, JobFailed, JobDismissed, WorkflowStep, WorkflowNotify];

    public static string ForStatus(JobStatus status) => "job." + status.ToString().ToLowerInvariant();
}

/// <summary>
/// One event, as a webhook receives it (the body of the POST). <see cref="Id"/> is also the delivery's
/// Idempotency-Key: the same on every retry, so a receiver that saw it already can ignore the repeat.
/// </summary>
/// <param name="Data">What a workflow's notify state sends: its message and data.</param>
public sealed record NotificationEvent(string Id, string Topic, DateTimeOffset Time, JobSummary Job, string? Workflow = null, StepRecord? Step = null,
    System.Text.Json.Nodes.JsonNode? Data = null)
{
    /// <summary>The job's owner tenant (none: a public job), which decides the subscriptions it goes to; not sent.</summary>
    [JsonIgnore]
    public string? JobOwner { get; init; }

    public static NotificationEvent ForJob(JobRecord job, string topic, StepRecord? step = null) =>
        new(Guid.NewGuid().ToString("N"), topic, DateTimeOffset.UtcNow,
            new JobSummary(job.Id, job.Type, job.Status.ToString().ToLowerInvariant(), job.Message, job.Percent),
            job.Type == WorkflowJobHandler.JobType ? WorkflowJobInputs.Read(job.Inputs).Workflow : null, step)
        {
            JobOwner = job.Owner,
        };

    public static readonly JsonSerializerOptions Json = new(WorkflowCheckpoint.Json);
}

public sealed record JobSummary(string Id, string Type, string Status, string? Message, int? Progress);

/// <summary>A delivery of one event to one subscription: its attempts so far and how it ended.</summary>
public sealed class Delivery
{
    public required string SubscriptionId { get; init; }

    public required NotificationEvent Event { get; init; }

    public DeliveryOutcome Outcome { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public List<DeliveryAttempt> Attempts { get; init; } = [];
}

public enum DeliveryOutcome
{
    Pending,
    Delivered,
    DeadLettered,
}

/// <param name="Status">The HTTP status the endpoint answered, or null when it could not be reached.</param>
/// <param name="Error">Why the attempt failed: the status line or the connection error.</param>
public sealed record DeliveryAttempt(DateTimeOffset Time, int? Status, string? Error);
