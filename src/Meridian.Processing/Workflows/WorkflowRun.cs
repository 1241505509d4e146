using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Workflows;

/// <summary>
/// Runs one workflow execution from its checkpoint: state by state, Parallel branches and Map items concurrently,
/// writing the checkpoint after every step (one writer at a time, each write the whole consistent tree).
/// </summary>
internal sealed partial class WorkflowRun(
    WorkflowDefinition definition,
    WorkflowCheckpoint checkpoint,
    WorkflowRunContext context)
{
    /// <summary>The most items a Map state fans out to; more fails the state (States.Runtime).</summary>
    public const int MaxMapItems = 1000;

    /// <summary>
    /// The most steps an execution takes by default (Step Functions' history limit). A loop with no way out would
    /// otherwise hold a worker, and write its checkpoint, for ever.
    /// </summary>
    public const int MaxSteps = 25_000;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task RunAsync(CancellationToken cancellationToken) => RunBranchAsync(definition.Machine, checkpoint.Root, "", cancellationToken);

    private async Task RunBranchAsync(StateMachine machine, BranchRun run, string scope, CancellationToken cancellationToken)
    {
        while (!run.Ended)
        {
            // Quick processes and Choice states await nothing cancellable: without this, a loop of them would run on after
            // its job was dismissed or its worker asked to stop.
            cancellationToken.ThrowIfCancellationRequested();
            var state = machine.States[run.State!];
            var path = scope + state.Name;
            if (checkpoint.Steps >= context.MaxSteps)
            {
                // Not an error of the state's: no Retry or Catch may take it, else a catching loop would go on. Each
                // enclosing machine meets the limit again at its next state and ends failed too.
                await EndFailedAsync(run, state, path, new WorkflowRuntimeException(WorkflowErrors.Runtime,
                    $"The execution reached its limit of {context.MaxSteps} steps at '{path}'."));
                continue;
            }
            if (run.ResumeAt is { } resumeAt && resumeAt - context.Time.GetUtcNow() is { Ticks: > 0 } delay)
                await Task.Delay(delay, context.Time, cancellationToken);
            try
            {
                switch (state)
                {
                    case WaitState wait when run.ResumeAt is null:
                        await CommitAsync(() => run.ResumeAt = context.Time.GetUtcNow().AddSeconds(wait.Seconds), Step(path, state, StepOutcome.Waiting));
                        continue;
                    case WaitState:
                        await MoveAsync(run, state.Next, run.Data, path, state);
                        continue;
                    case SucceedState:
                        await MoveAsync(run, null, run.Data, path, state);
                        continue;
                    case FailState fail:
                        throw new WorkflowRuntimeException(fail.Error, fail.Cause ?? $"The workflow reached the Fail state '{fail.Name}'.");
                    case ChoiceState choice:
                        var next = choice.Choices.FirstOrDefault(c => c.Condition.Holds(run.Data))?.Next ?? choice.Default
                            ?? throw new WorkflowRuntimeException(WorkflowErrors.NoChoiceMatched, $"No rule of the Choice state '{choice.Name}' matched its input.");
                        await MoveAsync(run, next, run.Data, path, state);
                        continue;
                    case WorkState work:
                        var result = await RunWorkAsync(work, run, path, cancellationToken);
                        await MoveAsync(run, work.Next, work.ResultPath is { } at ? at.Set(run.Data?.DeepClone(), result) : run.Data, path, state);
                        continue;
                }
            }
            catch (WorkflowRuntimeException e)
            {
                await HandleErrorAsync(run, state, path, e);
            }
        }
    }

    private Task<JsonNode?> RunWorkAsync(WorkState state, BranchRun run, string path, CancellationToken cancellationToken) => state switch
    {
        TaskState task => RunTaskAsync(task, run.Data, path, cancellationToken),
        ParallelState parallel => FanOutAsync(run, parallel.Branches, () => parallel.Branches.Select(_ => run.Data).ToList(), parallel.Branches.Count, path, cancellationToken),
        MapState map => FanOutAsync(run, [map.Iterator], () => Items(map, run.Data), map.MaxConcurrency, path, cancellationToken),
        _ => throw new InvalidOperationException($"Unexpected state {state.GetType().Name}."),
    };

    private async Task<JsonNode?> RunTaskAsync(TaskState task, JsonNode? input, string path, CancellationToken cancellationToken)
    {
        if (!context.Processes.TryGetValue(task.Process, out var process))
            throw new WorkflowRuntimeException(WorkflowErrors.Runtime, $"The process '{task.Process}' is not available on this worker.");
        var inputs = task.Parameters is { } parameters
            ? WorkflowParameters.Resolve(parameters, input, WorkflowParameters.Context(context.Job.Id, definition.Name))
            : input as JsonObject
            ?? throw new WorkflowRuntimeException(WorkflowErrors.ParameterPathFailure, $"The Task state '{task.Name}' needs an object as its input, or Parameters.");
        try
        {
            var execution = new ProcessExecution((JsonObject)inputs.DeepClone(), StepJobId(path), new Progress<JobProgress>());
            // The checks a direct execution gets in its request, here made as the workflow's starter (the handler acts
            // for it): another tenant's collection is refused, a new output collection becomes the starter's.
            await process.AdmitAsync(execution.Inputs, cancellationToken);
            // The results join the workflow's data, which paths navigate: raw values become nodes.
            return RawJson.Materialize(await process.ExecuteAsync(execution, cancellationToken));
        }
        catch (ProcessInputException e)
        {
            throw new WorkflowRuntimeException(WorkflowErrors.InvalidInput, $"The process '{task.Process}' refused its input '{e.Input}': {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException and not WorkflowRuntimeException)
        {
            LogProcessFailed(context.Logger, e, task.Process, path, context.Job.Id);
            throw new WorkflowRuntimeException(WorkflowErrors.ProcessFailed, $"The process '{task.Process}' failed with an internal error; see the server log.");
        }
    }

    /// <summary>Outputs are named after the job: each step gets its own name, stable across restarts, so a rerun replaces its own outputs.</summary>
    private string StepJobId(string path) =>
        context.Job.Id + "-" + new string(path.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-').ToArray());

    private static List<JsonNode?> Items(MapState map, JsonNode? input)
    {
        if (!map.ItemsPath.TryGet(input, out var node) || node is not JsonArray items)
            throw new WorkflowRuntimeException(WorkflowErrors.Runtime, $"ItemsPath '{map.ItemsPath}' of the Map state '{map.Name}' does not name an array in its input.");
        if (items.Count > MaxMapItems)
            throw new WorkflowRuntimeException(WorkflowErrors.Runtime, $"The Map state '{map.Name}' has {items.Count} items; at most {MaxMapItems} are allowed.");
        return items.Select(i => i?.DeepClone()).ToList();
    }

    /// <summary>
    /// Runs branches (Parallel: one machine each; Map: the iterator for every item), resuming those a checkpoint
    /// holds and skipping those that finished. The first failed branch (in order) fails the state, once all ended.
    /// </summary>
    private async Task<JsonNode?> FanOutAsync(BranchRun run, IReadOnlyList<StateMachine> machines, Func<List<JsonNode?>> inputs, int concurrency,
        string path, CancellationToken cancellationToken)
    {
        if (run.Children is null)
        {
            var children = inputs().Select((input, i) => new BranchRun { State = machines[i % machines.Count].StartAt, Data = input }).ToList();
            await CommitAsync(() => run.Children = children, null);
        }
        using var slots = new SemaphoreSlim(concurrency);
        var branches = run.Children!.Select(async (child, i) =>
        {
            if (child.Ended) return;
            await slots.WaitAsync(cancellationToken);
            try
            {
                await RunBranchAsync(machines[i % machines.Count], child, $"{path}[{i}].", cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        });
        await Task.WhenAll(branches);
        if (run.Children!.FirstOrDefault(c => c.Error is not null) is { } failed) throw new WorkflowRuntimeException(failed.Error!, failed.Cause ?? "");
        return new JsonArray(run.Children!.Select(c => c.Data?.DeepClone()).ToArray());
    }

    /// <summary>Retries the state if a rule matches and has attempts left, else goes to a matching Catch, else ends the branch failed.</summary>
    private async Task HandleErrorAsync(BranchRun run, WorkflowState state, string path, WorkflowRuntimeException error)
    {
        var work = state as WorkState;
        var retry = work?.Retry.FirstOrDefault(r => WorkflowErrors.Matches(r.ErrorEquals, error.Error));
        if (retry is not null && run.Retries < retry.MaxAttempts)
        {
            var delay = TimeSpan.FromSeconds(retry.IntervalSeconds * Math.Pow(retry.BackoffRate, run.Retries));
            await CommitAsync(() =>
            {
                run.Retries++;
                run.ResumeAt = context.Time.GetUtcNow() + delay;
                run.Children = null;
            }, Step(path, state, StepOutcome.Retrying, error));
            return;
        }
        if (work?.Catch.FirstOrDefault(c => WorkflowErrors.Matches(c.ErrorEquals, error.Error)) is { } handler)
        {
            var failure = new JsonObject { ["Error"] = error.Error, ["Cause"] = error.Cause };
            var data = handler.ResultPath is { } at ? at.Set(run.Data?.DeepClone(), failure) : run.Data;
            await CommitAsync(() => Enter(run, handler.Next, data), Step(path, state, StepOutcome.Caught, error));
            return;
        }
        await EndFailedAsync(run, state, path, error);
    }

    private Task EndFailedAsync(BranchRun run, WorkflowState state, string path, WorkflowRuntimeException error) =>
        CommitAsync(() =>
        {
            Enter(run, null, run.Data);
            run.Error = error.Error;
            run.Cause = error.Cause;
        }, Step(path, state, StepOutcome.Failed, error));

    private Task MoveAsync(BranchRun run, string? next, JsonNode? data, string path, WorkflowState state) =>
        CommitAsync(() => Enter(run, next, data), Step(path, state, StepOutcome.Succeeded));

    private static void Enter(BranchRun run, string? next, JsonNode? data)
    {
        run.State = next;
        run.Data = data;
        run.Retries = 0;
        run.ResumeAt = null;
        run.Children = null;
    }

    private StepRecord Step(string path, WorkflowState state, StepOutcome outcome, WorkflowRuntimeException? error = null) =>
        new(path, state.GetType().Name.Replace("State", "", StringComparison.Ordinal), outcome, context.Time.GetUtcNow(), error?.Error, error?.Cause);

    /// <summary>Applies a change to the tree and writes the checkpoint; writes are serialized so a later tree never loses to an earlier one.</summary>
    private async Task CommitAsync(Action change, StepRecord? step)
    {
        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            byte[] bytes;
            lock (_gate)
            {
                change();
                if (step is not null) checkpoint.Record(step);
                bytes = JsonSerializer.SerializeToUtf8Bytes(checkpoint, WorkflowCheckpoint.Json);
            }
            // Written even when the job is being cancelled: what is committed in memory must match what a restart reads.
            using var content = new MemoryStream(bytes);
            await context.Objects.PutAsync(context.CheckpointKey, content, CancellationToken.None);
        }
        finally
        {
            _writer.Release();
        }
        if (step is null) return;
        context.Progress.Report(new JobProgress($"{step.Path}: {step.Outcome.ToString().ToLowerInvariant()}", null, ProgressDetails()));
        await context.Events.StepAsync(context.Job, definition.Name, step, CancellationToken.None);
    }

    private string ProgressDetails()
    {
        lock (_gate)
        {
            var recent = checkpoint.History.TakeLast(20).ToList();
            return JsonSerializer.Serialize(new { workflow = definition.Name, steps = checkpoint.Steps, recent },
                WorkflowCheckpoint.Json);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Process {Process} failed at {Path} of workflow job {JobId}")]
    private static partial void LogProcessFailed(ILogger logger, Exception exception, string process, string path, string jobId);
}

/// <summary>What a run needs from its job and the worker around it.</summary>
internal sealed record WorkflowRunContext(
    JobRecord Job,
    IReadOnlyDictionary<string, IProcess> Processes,
    IObjectStore Objects,
    ObjectKey CheckpointKey,
    IProgress<JobProgress> Progress,
    IWorkflowEvents Events,
    TimeProvider Time,
    ILogger Logger,
    int MaxSteps);
