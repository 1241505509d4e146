using System.Text.Json.Nodes;

namespace Meridian.Processing.Workflows;

/// <summary>A registered workflow: its name, the state machine it runs, and the JSON it was registered with.</summary>
public sealed record WorkflowDefinition(string Name, string? Comment, StateMachine Machine, JsonObject Source);

/// <summary>States and where to begin: the whole workflow, a Parallel branch or a Map iterator.</summary>
public sealed record StateMachine(string StartAt, IReadOnlyDictionary<string, WorkflowState> States);

/// <summary>One state; <see cref="Next"/> is null for states that end their machine.</summary>
public abstract record WorkflowState(string Name, string? Next);

/// <summary>A state that does work (Task, Parallel, Map): its result is placed at ResultPath, and errors can be retried or caught.</summary>
/// <param name="ResultPath">Where the result goes in the state's input; null discards the result.</param>
public abstract record WorkState(string Name, string? Next, JsonPath? ResultPath, IReadOnlyList<RetryRule> Retry, IReadOnlyList<CatchRule> Catch)
    : WorkflowState(Name, Next);

/// <summary>Runs the process <paramref name="Process"/>; Parameters (with <c>"name.$": "$.path"</c> references) build its inputs, else the state input is.</summary>
public sealed record TaskState(string Name, string? Next, string Process, JsonObject? Parameters, JsonPath? ResultPath, IReadOnlyList<RetryRule> Retry, IReadOnlyList<CatchRule> Catch)
    : WorkState(Name, Next, ResultPath, Retry, Catch);

/// <summary>Runs every branch on the state input at once; the result is the array of their outputs, in branch order.</summary>
public sealed record ParallelState(string Name, string? Next, IReadOnlyList<StateMachine> Branches, JsonPath? ResultPath, IReadOnlyList<RetryRule> Retry, IReadOnlyList<CatchRule> Catch)
    : WorkState(Name, Next, ResultPath, Retry, Catch);

/// <summary>Runs the iterator on every item of the array at ItemsPath, at most MaxConcurrency at once; the result is the array of outputs.</summary>
public sealed record MapState(string Name, string? Next, JsonPath ItemsPath, StateMachine Iterator, int MaxConcurrency, JsonPath? ResultPath, IReadOnlyList<RetryRule> Retry, IReadOnlyList<CatchRule> Catch)
    : WorkState(Name, Next, ResultPath, Retry, Catch);

/// <summary>Goes to the Next of the first rule that holds, else to Default (no Default and no match fails with States.NoChoiceMatched).</summary>
public sealed record ChoiceState(string Name, IReadOnlyList<ChoiceRule> Choices, string? Default) : WorkflowState(Name, null);

public sealed record ChoiceRule(Condition Condition, string Next);

public sealed record WaitState(string Name, string? Next, double Seconds) : WorkflowState(Name, Next);

public sealed record SucceedState(string Name) : WorkflowState(Name, null);

public sealed record FailState(string Name, string Error, string? Cause) : WorkflowState(Name, null);

/// <summary>Retries the state when its error matches, waiting IntervalSeconds × BackoffRate^(attempt−1) before each retry.</summary>
public sealed record RetryRule(IReadOnlyList<string> ErrorEquals, double IntervalSeconds, double BackoffRate, int MaxAttempts);

/// <summary>Once retries are spent, goes to Next with the error ({"Error", "Cause"}) placed at ResultPath.</summary>
public sealed record CatchRule(IReadOnlyList<string> ErrorEquals, string Next, JsonPath? ResultPath);
