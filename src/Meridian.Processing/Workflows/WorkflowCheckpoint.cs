using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Everything a restarted worker needs to continue an execution where it stopped: for the workflow and for every
/// branch or item of the Parallel or Map state being run, the current state, its input, the retries spent and when
/// a wait or retry delay ends; the outputs of branches already finished; and the step history. It is written after
/// every step, so a completed step is never run again (a step interrupted mid-way is: processes are idempotent).
/// </summary>
public sealed class WorkflowCheckpoint
{
    /// <summary>The most history entries kept: a Map over many items would otherwise make every checkpoint write larger.</summary>
    public const int MaxHistory = 2000;

    public required string Workflow { get; init; }

    public required BranchRun Root { get; init; }

    public List<StepRecord> History { get; init; } = [];

    /// <summary>How many entries left the history because of <see cref="MaxHistory"/>.</summary>
    public int HistoryDropped { get; set; }

    /// <summary>Every step recorded so far, including those that left the history.</summary>
    [JsonIgnore]
    public int Steps => History.Count + HistoryDropped;

    public void Record(StepRecord step)
    {
        History.Add(step);
        if (History.Count <= MaxHistory) return;
        History.RemoveAt(0);
        HistoryDropped++;
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

/// <summary>The progress of one state machine: the workflow itself, a Parallel branch or a Map item.</summary>
public sealed class BranchRun
{
    /// <summary>The state being run; null once the branch ended.</summary>
    public string? State { get; set; }

    /// <summary>The current state's input; the branch's output once it ended successfully.</summary>
    public JsonNode? Data { get; set; }

    /// <summary>Retries already made of the current state.</summary>
    public int Retries { get; set; }

    /// <summary>When the current Wait, or the delay before a retry, ends.</summary>
    public DateTimeOffset? ResumeAt { get; set; }

    /// <summary>The branches (Parallel) or items (Map) of the current state, with the outputs of those that finished.</summary>
    public List<BranchRun>? Children { get; set; }

    /// <summary>Set when the branch failed: the error name and its cause.</summary>
    public string? Error { get; set; }

    public string? Cause { get; set; }

    [JsonIgnore]
    public bool Ended => State is null;
}

public enum StepOutcome
{
    Succeeded,
    Waiting,
    Retrying,
    Caught,
    Failed,
}

/// <param name="Path">Where the state ran: its name, prefixed by the Parallel/Map states and branch or item numbers around it.</param>
public sealed record StepRecord(string Path, string Type, StepOutcome Outcome, DateTimeOffset Time, string? Error = null, string? Cause = null);
