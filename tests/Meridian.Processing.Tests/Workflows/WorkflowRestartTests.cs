using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Processing.Workflows;
using Meridian.Storage.Objects;

namespace Meridian.Processing.Tests.Workflows;

/// <summary>
/// A real restart: the host is stopped while a Map item is mid-way, and a new host on the same data directory
/// finishes the execution from its checkpoint, running none of the completed steps again.
/// </summary>
public sealed class WorkflowRestartTests : IDisposable
{
    private const string Definition = """
        {"Name":"resumable","StartAt":"First","States":{
          "First":{"Type":"Task","Process":"mirror","ResultPath":"$.first","Next":"Fan"},
          "Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":3,"ResultPath":"$.fanned","Next":"Last",
            "Iterator":{"StartAt":"Work","States":{"Work":{"Type":"Task","Process":"gate","End":true}}}},
          "Last":{"Type":"Task","Process":"mirror","Parameters":{"count.$":"$.fanned"},"End":true}}}
        """;

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_workflow_stopped_mid_Map_resumes_without_rerunning_completed_steps()
    {
        var mirror = new MirrorProcess();
        var blockingGate = new GateProcess(blocking: true);
        Uri job;
        await using (var first = await ProcessingHost.StartAsync(_data.Path, [mirror, blockingGate]))
        {
            (await first.Client.PostAsync("workflows", new StringContent(Definition, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var started = await first.Client.PostAsync("workflows/resumable/executions",
                new StringContent("""{"items":[{"n":0},{"n":1,"block":true},{"n":2}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            job = new Uri(started.Headers.Location!.AbsolutePath.TrimStart('/'), UriKind.Relative);
            await blockingGate.Entered.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await WaitForCheckpointAsync(job, "Fan[0].Work", "Fan[2].Work");
            await first.StopAsync();
        }

        var openGate = new GateProcess(blocking: false);
        await using var second = await ProcessingHost.StartAsync(_data.Path, [mirror, openGate]);
        // The stopped worker's lease has to run out before another worker may claim the job (JobWorker.Lease).
        var status = await JobPolling.WaitForEndAsync(second.Client, job, seconds: 180);

        Assert.Equal("successful", (string?)status["status"]);
        Assert.Equal(2, mirror.Executions.Count);
        Assert.Equal(3, blockingGate.Executions.Count);
        Assert.Equal([$"{JobId(job)}-Fan-1--Work"], openGate.Executions);
        var results = JsonNode.Parse(await second.Client.GetStringAsync(job + "/results"))!;
        Assert.Equal([0, 1, 2], results["output"]!["count"]!.AsArray().Select(i => (int)i!["n"]!));
        var history = results["history"]!.AsArray().Select(h => (string)h!["path"]!).ToList();
        Assert.Equal(["Fan", "Fan[0].Work", "Fan[1].Work", "Fan[2].Work", "First", "Last"], history.Order());
        Assert.Equal(["First", "Fan", "Last"], history.Where(p => !p.Contains('[', StringComparison.Ordinal)));
    }

    private static string JobId(Uri job) => job.OriginalString.Split('/')[^1];

    /// <summary>Waits until the checkpoint on disk holds the steps, as a restarted worker would read it.</summary>
    private async Task WaitForCheckpointAsync(Uri job, params string[] steps)
    {
        var documents = new ReservedDocuments(new LocalObjectStore(Path.Combine(_data.Path, "objects")));
        for (var i = 0; i < 600; i++)
        {
            var checkpoint = await documents.ReadAsync<WorkflowCheckpoint>(WorkflowJobHandler.CheckpointKey(JobId(job)), WorkflowCheckpoint.Json, CancellationToken.None);
            if (checkpoint is not null && steps.All(s => checkpoint.History.Any(h => h.Path == s && h.Outcome == StepOutcome.Succeeded))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The checkpoint never showed {string.Join(", ", steps)}.");
    }
}
