using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Processing.Workflows;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Workflows;

/// <summary>The semantics of each state type, run through the job handler over a real local object store.</summary>
public sealed class WorkflowJobHandlerTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly RecordedSteps _steps = new();

    public void Dispose() => _data.Dispose();

    private Task<JobOutcome> RunAsync(string definition, string input, params IProcess[] processes) =>
        RunAsync(WorkflowRun.MaxSteps, definition, input, processes);

    private async Task<JobOutcome> RunAsync(int maxSteps, string definition, string input, params IProcess[] processes)
    {
        var handler = new WorkflowJobHandler(
            new LocalObjectStore(_data.Path), processes, NoTenants.Catalog, _steps, NullLogger<WorkflowJobHandler>.Instance, maxSteps);
        var inputs = new WorkflowJobInputs("test", (JsonObject)JsonNode.Parse(definition)!, JsonNode.Parse(input));
        var now = DateTimeOffset.UtcNow;
        var job = new JobRecord(Guid.NewGuid().ToString("N"), WorkflowJobHandler.JobType, JobStatus.Running, inputs.ToJson(), null, null, null, null, null, 1, now, now, null, now);
        return await handler.RunAsync(job, new Progress<JobProgress>(), CancellationToken.None);
    }

    private static JsonNode? Output(JobOutcome outcome)
    {
        Assert.True(outcome.Status == JobStatus.Successful, outcome.Message);
        return JsonNode.Parse(outcome.Results!)!["output"];
    }

    private static string Machine(string startAt, string states) => "{\"Name\":\"test\",\"StartAt\":\"" + startAt + "\",\"States\":{" + states + "}}";

    [Fact]
    public async Task Task_builds_its_inputs_from_parameters_and_places_the_result_at_ResultPath()
    {
        var definition = Machine("Add", """
            "Add": {"Type":"Task","Process":"add","Parameters":{"a.$":"$.x","b.$":"$.nested.y"},"ResultPath":"$.added","End":true}
            """);

        var output = Output(await RunAsync(definition, """{"x":2,"nested":{"y":3}}""", new AddProcess()));

        Assert.Equal(5, (double)output!["added"]!["sum"]!);
        Assert.Equal(2, (int)output["x"]!);
    }

    [Fact]
    public async Task A_null_ResultPath_keeps_the_input_and_the_default_replaces_it()
    {
        var definition = Machine("Keep", """
            "Keep": {"Type":"Task","Process":"add","Parameters":{"a":1,"b":1},"ResultPath":null,"Next":"Replace"},
            "Replace": {"Type":"Task","Process":"add","Parameters":{"a":2,"b":2},"End":true}
            """);

        Assert.Equal("""{"sum":4}""", Output(await RunAsync(definition, """{"x":1}""", new AddProcess()))!.ToJsonString());
    }

    [Theory]
    [InlineData(5, "Big")]
    [InlineData(-1, "Small")]
    [InlineData(0, "Zero")]
    public async Task Choice_goes_to_the_first_rule_that_holds_else_to_Default(int n, string expected)
    {
        var definition = Machine("Decide", """
            "Decide": {"Type":"Choice","Choices":[
                {"And":[{"Variable":"$.n","GreaterThan":0},{"Not":{"Variable":"$.n","Equals":0}}],"Next":"Big"},
                {"Or":[{"Variable":"$.n","LessThan":0},{"Variable":"$.missing","IsPresent":true}],"Next":"Small"}],
              "Default":"Zero"},
            "Big": {"Type":"Task","Process":"mirror","Parameters":{"went":"Big"},"End":true},
            "Small": {"Type":"Task","Process":"mirror","Parameters":{"went":"Small"},"End":true},
            "Zero": {"Type":"Task","Process":"mirror","Parameters":{"went":"Zero"},"End":true}
            """);

        Assert.Equal(expected, (string?)Output(await RunAsync(definition, $$"""{"n":{{n}}}""", new MirrorProcess()))!["went"]);
    }

    [Fact]
    public async Task Choice_compares_numbers_by_value_whatever_produced_them()
    {
        var definition = Machine("Add", """
            "Add": {"Type":"Task","Process":"add","Parameters":{"a":1,"b":1},"ResultPath":"$.r","Next":"Decide"},
            "Decide": {"Type":"Choice","Choices":[{"And":[{"Variable":"$.r.sum","Equals":2},{"Variable":"$.r.sum","LessThan":2.5}],"Next":"Yes"}],"Default":"No"},
            "Yes": {"Type":"Succeed"},
            "No": {"Type":"Fail","Error":"Wrong"}
            """);

        Assert.Equal(JobStatus.Successful, (await RunAsync(definition, "{}", new AddProcess())).Status);
    }

    [Fact]
    public async Task Choice_without_a_match_or_Default_fails_with_NoChoiceMatched()
    {
        var definition = Machine("Decide", """
            "Decide": {"Type":"Choice","Choices":[{"Variable":"$.n","Equals":1,"Next":"Done"}]},
            "Done": {"Type":"Succeed"}
            """);

        var outcome = await RunAsync(definition, """{"n":2}""");

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains(WorkflowErrors.NoChoiceMatched, outcome.Message);
    }

    [Fact]
    public async Task Parallel_returns_the_branch_outputs_in_branch_order()
    {
        var definition = Machine("Both", """
            "Both": {"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"One","States":{"One":{"Type":"Task","Process":"add","Parameters":{"a.$":"$.v","b":1},"End":true}}},
                {"StartAt":"Two","States":{"Two":{"Type":"Task","Process":"add","Parameters":{"a.$":"$.v","b":2},"End":true}}}]}
            """);

        Assert.Equal("""[{"sum":11},{"sum":12}]""", Output(await RunAsync(definition, """{"v":10}""", new AddProcess()))!.ToJsonString());
    }

    [Fact]
    public async Task Map_runs_the_iterator_on_every_item_and_keeps_item_order()
    {
        var definition = Machine("Each", """
            "Each": {"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ResultPath":"$.sums","End":true,
              "Iterator":{"StartAt":"Add","States":{"Add":{"Type":"Task","Process":"add","Parameters":{"a.$":"$.n","b":100},"End":true}}}}
            """);
        var add = new AddProcess();

        var output = Output(await RunAsync(definition, """{"items":[{"n":1},{"n":2},{"n":3},{"n":4},{"n":5}]}""", add));

        Assert.Equal([101.0, 102, 103, 104, 105], output!["sums"]!.AsArray().Select(s => (double)s!["sum"]!));
        Assert.Equal(5, add.Executions.Distinct().Count());
    }

    [Fact]
    public async Task Map_over_something_that_is_not_an_array_fails_the_state()
    {
        var definition = Machine("Each", """
            "Each": {"Type":"Map","ItemsPath":"$.items","End":true,"Iterator":{"StartAt":"E","States":{"E":{"Type":"Succeed"}}}}
            """);

        var outcome = await RunAsync(definition, """{"items":"nope"}""");

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("ItemsPath '$.items'", outcome.Message);
    }

    [Fact]
    public async Task Retry_runs_a_failing_task_again_until_it_succeeds()
    {
        var definition = Machine("Try", """
            "Try": {"Type":"Task","Process":"flaky","End":true,
              "Retry":[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":0.01,"BackoffRate":2,"MaxAttempts":3}]}
            """);
        var flaky = new FlakyProcess(failures: 2);

        var output = Output(await RunAsync(definition, """{"v":1}""", flaky));

        Assert.Equal(1, (int)output!["v"]!);
        Assert.Equal(3, flaky.Executions.Count);
        Assert.Equal([StepOutcome.Retrying, StepOutcome.Retrying, StepOutcome.Succeeded], _steps.Outcomes("Try"));
    }

    [Fact]
    public async Task Retries_spent_go_to_the_matching_Catch_with_the_error_at_its_ResultPath()
    {
        var definition = Machine("Try", """
            "Try": {"Type":"Task","Process":"flaky","Next":"Done",
              "Retry":[{"ErrorEquals":["Process.InvalidInput"],"MaxAttempts":5},{"ErrorEquals":["States.ALL"],"IntervalSeconds":0,"MaxAttempts":1}],
              "Catch":[{"ErrorEquals":["Process.Failed"],"Next":"Recover","ResultPath":"$.error"}]},
            "Recover": {"Type":"Task","Process":"mirror","End":true},
            "Done": {"Type":"Succeed"}
            """);
        var flaky = new FlakyProcess(failures: 10);

        var output = Output(await RunAsync(definition, """{"v":1}""", flaky, new MirrorProcess()));

        Assert.Equal(2, flaky.Executions.Count);
        Assert.Equal(WorkflowErrors.ProcessFailed, (string?)output!["error"]!["Error"]);
        Assert.Equal(1, (int)output["v"]!);
    }

    [Fact]
    public async Task A_Fail_state_fails_the_job_with_its_error_and_cause()
    {
        var definition = Machine("Stop", """
            "Stop": {"Type":"Fail","Error":"Custom.Broken","Cause":"the input was unusable"}
            """);

        var outcome = await RunAsync(definition, "{}");

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Equal("workflow 'test' failed at Stop: Custom.Broken: the input was unusable", outcome.Message);
    }

    [Fact]
    public async Task A_failing_Map_item_fails_the_Map_which_a_Catch_can_handle()
    {
        var definition = Machine("Each", """
            "Each": {"Type":"Map","End":true,"ItemsPath":"$.items",
              "Catch":[{"ErrorEquals":["Process.InvalidInput"],"Next":"Handled","ResultPath":"$.error"}],
              "Iterator":{"StartAt":"Check","States":{"Check":{"Type":"Task","Process":"strict","End":true}}}},
            "Handled": {"Type":"Succeed"}
            """);

        var output = Output(await RunAsync(definition, """{"items":[{"distance":1},{"distance":-5}]}""", new StrictProcess()));

        Assert.Contains("refused its input 'distance'", (string?)output!["error"]!["Cause"]);
    }

    [Fact]
    public async Task Wait_pauses_then_continues_with_its_input()
    {
        var definition = Machine("Pause", """
            "Pause": {"Type":"Wait","Seconds":0.01,"Next":"Done"},
            "Done": {"Type":"Succeed"}
            """);

        Assert.Equal("""{"v":1}""", Output(await RunAsync(definition, """{"v":1}"""))!.ToJsonString());
        Assert.Equal([StepOutcome.Waiting, StepOutcome.Succeeded], _steps.Outcomes("Pause"));
    }

    [Fact]
    public async Task A_parameter_path_the_input_lacks_fails_with_ParameterPathFailure()
    {
        var definition = Machine("Add", """
            "Add": {"Type":"Task","Process":"add","Parameters":{"a.$":"$.nothing","b":1},"End":true}
            """);

        var outcome = await RunAsync(definition, "{}", new AddProcess());

        Assert.Contains(WorkflowErrors.ParameterPathFailure, outcome.Message);
    }

    // A loop of steps that never wait on anything cancellable (a quick process, a Choice) must still stop when the job is
    // dismissed or the worker stops: otherwise a dismissed execution runs on in the worker, and writes checkpoints, forever.
    [Fact]
    public async Task A_loop_of_quick_steps_stops_when_cancelled()
    {
        var definition = Machine("Again", """
            "Again": {"Type":"Task","Process":"mirror","Next":"Check"},
            "Check": {"Type":"Choice","Choices":[{"Variable":"$.v","Equals":1,"Next":"Again"}],"Default":"Done"},
            "Done": {"Type":"Succeed"}
            """);
        using var cancellation = new CancellationTokenSource();
        var handler = new WorkflowJobHandler(new LocalObjectStore(_data.Path), [new MirrorProcess()], NoTenants.Catalog, _steps, NullLogger<WorkflowJobHandler>.Instance);
        var inputs = new WorkflowJobInputs("test", (JsonObject)JsonNode.Parse(definition)!, JsonNode.Parse("""{"v":1}"""));
        var now = DateTimeOffset.UtcNow;
        var job = new JobRecord(Guid.NewGuid().ToString("N"), WorkflowJobHandler.JobType, JobStatus.Running, inputs.ToJson(), null, null, null, null, null, 1, now, now, null, now);

        var running = Task.Run(() => handler.RunAsync(job, new Progress<JobProgress>(), cancellation.Token));
        while (_steps.Outcomes("Check").Count < 3) await Task.Delay(10);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    // A loop with no way out must end: with a Catch on every error around it, in a Map's items and at the top, the
    // limit on steps still fails the execution instead of being caught and looped over.
    [Fact]
    public async Task A_loop_with_no_way_out_fails_at_the_step_limit_even_through_Catch()
    {
        var definition = Machine("Fan", """
            "Fan": {"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
              "Iterator":{"StartAt":"Spin","States":{
                "Spin":{"Type":"Task","Process":"mirror","Next":"Spin","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Spin"}]}}},
              "Next":"Fan","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Fan"}]}
            """);

        var outcome = await RunAsync(60, definition, """{"items":[1,2]}""", new MirrorProcess());

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("limit of 60 steps", outcome.Message);
        Assert.Contains(WorkflowErrors.Runtime, outcome.Message);
        // Past the limit, each running machine records one more step, its failure, and the Map's Catch one more.
        Assert.InRange(_steps.Count, 60, 66);
    }

    /// <summary>The step events the notification service would hear.</summary>
    private sealed class RecordedSteps : IWorkflowEvents
    {
        private readonly List<StepRecord> _steps = [];

        public List<StepOutcome> Outcomes(string path)
        {
            lock (_steps) return _steps.Where(s => s.Path == path).Select(s => s.Outcome).ToList();
        }

        public int Count
        {
            get
            {
                lock (_steps) return _steps.Count;
            }
        }

        public Task StepAsync(JobRecord job, string workflow, StepRecord step, CancellationToken cancellationToken)
        {
            lock (_steps) _steps.Add(step);
            return Task.CompletedTask;
        }
    }
}
