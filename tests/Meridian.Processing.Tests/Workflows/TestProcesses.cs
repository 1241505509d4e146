using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Processing.Workflows;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Tests.Workflows;

/// <summary>Small processes for workflow tests; the real library is tested on its own.</summary>
internal abstract class TestProcess(string id) : IProcess
{
    public ProcessDescription Description { get; } = new(id, id, "A test process.", "1.0.0", new JsonObject(), new JsonObject());

    /// <summary>Every execution's step job id, in order: which steps ran, and how often.</summary>
    public ConcurrentQueue<string> Executions { get; } = new();

    public int CountOf(string stepSuffix) => Executions.Count(e => e.EndsWith(stepSuffix, StringComparison.Ordinal));

    public Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken)
    {
        Executions.Enqueue(execution.JobId ?? "");
        return RunAsync(execution.Inputs, cancellationToken);
    }

    protected abstract Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken cancellationToken);
}

/// <summary>"mirror": returns its inputs (the library's "echo" checks them against its description).</summary>
internal sealed class MirrorProcess() : TestProcess("mirror")
{
    protected override Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken cancellationToken) => Task.FromResult((JsonObject)inputs.DeepClone());
}

/// <summary>"add": {a, b} → {sum}.</summary>
internal sealed class AddProcess() : TestProcess("add")
{
    protected override Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken cancellationToken) =>
        Task.FromResult(new JsonObject { ["sum"] = (double)inputs["a"]! + (double)inputs["b"]! });
}

/// <summary>"flaky": fails (an internal error) its first <c>failures</c> executions, then echoes.</summary>
internal sealed class FlakyProcess(int failures) : TestProcess("flaky")
{
    private int _calls;

    protected override Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _calls) <= failures
            ? throw new InvalidOperationException("flaky failure")
            : Task.FromResult((JsonObject)inputs.DeepClone());
}

/// <summary>"strict": needs a non-negative number "distance", as a real process checks its inputs.</summary>
internal sealed class StrictProcess() : TestProcess("strict")
{
    protected override Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken cancellationToken) =>
        inputs["distance"] is JsonValue v && v.TryGetValue<double>(out var d) && d >= 0
            ? Task.FromResult(new JsonObject { ["distance"] = d })
            : throw new ProcessInputException("distance", "distance must be a non-negative number.");
}

/// <summary>
/// "gate": echoes, but an input with "block": true waits until the test opens the gate (or the job is cancelled),
/// signalling <see cref="Entered"/> first: a step that is mid-way when the host stops.
/// </summary>
internal sealed class GateProcess(bool blocking) : TestProcess("gate")
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task<JsonObject> RunAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        if (blocking && (bool?)inputs["block"] == true)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return (JsonObject)inputs.DeepClone();
    }
}

/// <summary>Step events nobody listens to.</summary>
internal sealed class IgnoredSteps : IWorkflowEvents
{
    public Task StepAsync(JobRecord job, string workflow, StepRecord step, CancellationToken cancellationToken) => Task.CompletedTask;
}
