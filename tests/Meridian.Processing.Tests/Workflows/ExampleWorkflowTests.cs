using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Processing.Workflows;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Tests.Workflows;

/// <summary>
/// examples/workflows/ingest-buffer-dissolve.json: valid against the process ids it names, and its routing right,
/// run with stand-ins that answer as the real processes do (the processes themselves are tested in the library).
/// </summary>
public sealed class ExampleWorkflowTests : IDisposable
{
    private static readonly string File = Path.Combine(RepositoryRoot(), "examples", "workflows", "ingest-buffer-dissolve.json");

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "Meridian.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Meridian.slnx) was not found.");
    }

    private async Task<(JobOutcome Outcome, List<TestStub> Stubs)> RunAsync(int rejected)
    {
        List<TestStub> stubs =
        [
            new("ingest", new JsonObject { ["collection"] = "parcels", ["loaded"] = 10, ["rejected"] = rejected }),
            new("buffer", new JsonObject { ["collection"] = "parcels_buffer" }),
            new("dissolve", new JsonObject { ["collection"] = "parcels_dissolved" }),
            new("export", new JsonObject { ["object"] = "results/parcels.geojson" }),
            new("notify", new JsonObject { ["event"] = "e1" }),
        ];
        var handler = new WorkflowJobHandler(new LocalObjectStore(_data.Path), stubs, new IgnoredSteps(), NullLogger<WorkflowJobHandler>.Instance);
        var input = JsonNode.Parse("""{"object":"raw/parcels.gpkg","collection":"parcels","distance":25,"dissolveBy":"district"}""");
        var inputs = new WorkflowJobInputs("ingest-buffer-dissolve", (JsonObject)JsonNode.Parse(await System.IO.File.ReadAllTextAsync(File))!, input);
        var now = DateTimeOffset.UtcNow;
        var job = new JobRecord("job1", WorkflowJobHandler.JobType, JobStatus.Running, inputs.ToJson(), null, null, null, null, null, 1, now, now, null, now);
        return (await handler.RunAsync(job, new Progress<JobProgress>(), CancellationToken.None), stubs);
    }

    [Fact]
    public async Task The_example_runs_every_step_in_order_with_the_outputs_of_the_steps_before()
    {
        var (outcome, stubs) = await RunAsync(rejected: 0);

        Assert.True(outcome.Status == JobStatus.Successful, outcome.Message);
        Assert.Equal("""{"collection":"parcels","distance":25}""", stubs[1].Inputs.Single().ToJsonString());
        Assert.Equal("""{"collection":"parcels_buffer","by":"district"}""", stubs[2].Inputs.Single().ToJsonString());
        Assert.Equal("""{"collection":"parcels_dissolved","format":"geojson"}""", stubs[3].Inputs.Single().ToJsonString());
        Assert.Equal("""{"execution":"job1","message":"Buffered, dissolved and exported as GeoJSON.","data":{"object":"results/parcels.geojson"}}""",
            stubs[4].Inputs.Single().ToJsonString());
    }

    [Fact]
    public async Task Rejected_records_stop_the_example_before_buffering()
    {
        var (outcome, stubs) = await RunAsync(rejected: 2);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("Ingest.Rejected", outcome.Message);
        Assert.Empty(stubs[1].Inputs);
    }

    /// <summary>Answers with a fixed output and keeps the inputs it was given.</summary>
    private sealed class TestStub(string id, JsonObject output) : IProcess
    {
        public List<JsonObject> Inputs { get; } = [];

        public ProcessDescription Description { get; } = new(id, id, "A stand-in.", "1.0.0", new JsonObject(), new JsonObject());

        public Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken)
        {
            Inputs.Add(execution.Inputs);
            return Task.FromResult((JsonObject)output.DeepClone());
        }
    }
}
