using System.Text.Json.Nodes;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Processes;

/// <summary>
/// One process of OGC API – Processes (buffer, dissolve, ...): described for clients, executed synchronously in the
/// request or asynchronously as a job, and run as a workflow's Task state. Executions must be idempotent: a job whose
/// worker died runs again, so outputs are written under names derived from the job, replacing an earlier attempt's.
/// </summary>
public interface IProcess
{
    ProcessDescription Description { get; }

    /// <summary>
    /// Runs the process. Invalid inputs throw <see cref="ProcessInputException"/> naming the input (a 400 in a
    /// synchronous execution, a failed job with that message otherwise).
    /// </summary>
    Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken);

    /// <summary>
    /// The checks that need the caller, made in its request before an execution runs or is accepted as a job (whose
    /// worker has no request): the collections the inputs name must be the caller's to see, and a collection the
    /// process will create is claimed for the caller's tenant. Throws <see cref="ProcessInputException"/> as
    /// <see cref="ExecuteAsync"/> does.
    /// </summary>
    Task AdmitAsync(JsonObject inputs, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <param name="Id">The process id in URLs, e.g. "buffer".</param>
/// <param name="Inputs">Input name → the OGC input description (title, schema, minOccurs...).</param>
/// <param name="Outputs">Output name → the OGC output description.</param>
public sealed record ProcessDescription(string Id, string Title, string Description, string Version, JsonObject Inputs, JsonObject Outputs);

/// <param name="Inputs">The "inputs" member of the execute request.</param>
/// <param name="JobId">The job this execution belongs to; null for a synchronous execution.</param>
public sealed record ProcessExecution(JsonObject Inputs, string? JobId, IProgress<JobProgress> Progress);

/// <summary>An input the process cannot use; the message names the input and what is wrong with it.</summary>
public sealed class ProcessInputException(string input, string message) : Exception(message)
{
    public string Input { get; } = input;
}
