using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Jobs;

/// <summary>
/// Runs one process as jobs of its id: the job's inputs are the execute request's <c>inputs</c>, its results the
/// results document. Invalid inputs fail the job with the process's message; the worker carries on.
/// </summary>
public sealed class ProcessJobHandler(IProcess process) : IJobHandler
{
    public string Type => process.Description.Id;

    public async Task<JobOutcome> RunAsync(JobRecord job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        JsonObject inputs;
        try
        {
            inputs = JsonNode.Parse(job.Inputs) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return JobOutcome.Failed($"The job's inputs are not a JSON object: {e.Message}");
        }
        try
        {
            var results = await process.ExecuteAsync(new ProcessExecution(inputs, job.Id, progress), cancellationToken);
            return JobOutcome.Succeeded($"{process.Description.Title}: done", results.ToJsonString());
        }
        catch (ProcessInputException e)
        {
            return JobOutcome.Failed(e.Message);
        }
    }
}
