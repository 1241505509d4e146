using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Processing.Jobs;
using Meridian.Processing.Library;
using Meridian.Processing.Processes;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Processing.Api;

/// <summary>
/// The process endpoints of OGC API – Processes Part 1: the list, each description, and execution — synchronous by
/// default (200 with the outputs), asynchronous with <c>Prefer: respond-async</c> (201, a job, its Location).
/// </summary>
public static class ProcessesApi
{
    /// <summary>Execute requests carry inline GeoJSON; larger inputs belong in a collection or an object.</summary>
    public const long MaxExecuteBytes = 64L * 1024 * 1024;

    private const string RespondAsync = "respond-async";

    public static IEndpointRouteBuilder MapProcessesApi(this IEndpointRouteBuilder endpoints)
    {
        var processes = endpoints.MapGroup("/processes").WithTags("Processes");
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        processes.MapMethods("", read, List).WithName("processes");
        processes.MapMethods("/{processId}", read, Describe).WithName("process");
        processes.MapPost("/{processId}/execution", Execute).WithName("execute");
        return endpoints;
    }

    /// <summary>A page of the process summaries (all of them unless limit says fewer: /req/core/pl-limit-response), with self, next and prev links.</summary>
    private static IResult List(HttpContext context, ProcessRegistry registry)
    {
        var (limit, offset) = Paging.Parse(context.Request.Query, Paging.MaxLimit);
        var processes = registry.All.ToList();
        var summaries = processes.Skip(offset).Take(limit).Select(p => (JsonNode)ProcessDocuments.Summary(p.Description, context.Request)).ToArray();
        return Results.Json(new JsonObject
        {
            ["processes"] = new JsonArray(summaries),
            ["links"] = Paging.Links(context.Request, limit, offset, processes.Count > offset + limit, "This list"),
        });
    }

    private static IResult Describe(HttpContext context, ProcessRegistry registry, string processId) =>
        Results.Json(ProcessDocuments.Description(registry.Get(processId).Description, context.Request));

    private static async Task<IResult> Execute(HttpContext context, ProcessRegistry registry, WriteAccess access, AnonymousProcesses anonymous,
        JobQueue jobs, string processId)
    {
        var process = registry.Get(processId);
        if (!anonymous.Allows(process.Description.Id)) access.Require(context);
        // Before admission, which may claim the output collection: a refused key must leave nothing behind.
        var respondAsync = PrefersAsync(context.Request);
        var idempotencyKey = respondAsync ? IdempotencyKey.Read(context.Request) : null;
        ExecuteRequest execute;
        using (var body = await JsonRequestBody.ReadAsync(context, MaxExecuteBytes, "ProcessesApi.MaxExecuteBytes", "application/json"))
            execute = ExecuteRequest.Read(body.RootElement, process.Description);
        try
        {
            // The names are checked before a job is accepted; values are checked by the process itself.
            _ = new ProcessInputs(execute.Inputs, process.Description);
            await process.AdmitAsync(execute.Inputs, context.RequestAborted);
            if (respondAsync)
            {
                // The job runs in a worker as this caller: its tenant owns the job, and an admin's sight is kept with it.
                var caller = context.RequestServices.GetRequiredService<CollectionCatalog>().CurrentCaller();
                var (job, _) = await jobs.SubmitAsync(TenantCaller.Submits(caller, process.Description.Id, execute.Inputs.ToJsonString(),
                    idempotencyKey), context.RequestAborted);
                context.Response.Headers.Location = JobStatusDocument.JobUrl(context.Request, job.Id);
                context.Response.Headers["Preference-Applied"] = RespondAsync;
                return Results.Json(JobStatusDocument.Create(job, context.Request), statusCode: StatusCodes.Status201Created);
            }
            var results = await process.ExecuteAsync(new ProcessExecution(execute.Inputs, null, new Progress<JobProgress>()), context.RequestAborted);
            return execute.Respond(results);
        }
        catch (ProcessInputException e)
        {
            var problem = ProblemException.InvalidParameter(e.Input, e.Message);
            problem.Extensions["input"] = e.Input;
            throw problem;
        }
    }

    /// <summary>RFC 7240: <c>Prefer: respond-async</c>, possibly among other preferences and with parameters.</summary>
    private static bool PrefersAsync(HttpRequest request) =>
        request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')).Select(p => p.Split(';')[0].Trim())
            .Any(p => p.Equals(RespondAsync, StringComparison.OrdinalIgnoreCase));

    /// <summary>The execute request of OGC API – Processes 1.0: inputs, the outputs wanted, and the response form.</summary>
    private sealed record ExecuteRequest(JsonObject Inputs, IReadOnlyList<string>? Outputs, bool Raw)
    {
        public static ExecuteRequest Read(JsonElement body, ProcessDescription description)
        {
            if (body.ValueKind != JsonValueKind.Object) throw Invalid("body", "The body must be a JSON object with 'inputs'.");
            JsonObject inputs = [];
            List<string>? outputs = null;
            var raw = true;
            foreach (var member in body.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "inputs" when member.Value.ValueKind == JsonValueKind.Object:
                        inputs = JsonObject.Create(member.Value.Clone())!;
                        break;
                    case "inputs":
                        throw Invalid("inputs", "'inputs' must be an object of input name to value.");
                    case "outputs" when member.Value.ValueKind == JsonValueKind.Object:
                        var selected = member.Value.EnumerateObject().Select(o => o.Name).ToList();
                        if (selected.FirstOrDefault(o => !description.Outputs.ContainsKey(o)) is { } unknown)
                            throw Invalid("outputs", $"The process '{description.Id}' has no output '{unknown}'; it has {string.Join(", ", description.Outputs.Select(o => o.Key))}.");
                        // An empty selection selects nothing in particular: every output, as when 'outputs' is absent.
                        outputs = selected.Count == 0 ? null : selected;
                        break;
                    case "outputs":
                        throw Invalid("outputs", "'outputs' must be an object of output name to its transmission.");
                    case "response" when member.Value.ValueKind == JsonValueKind.String && member.Value.GetString() is "raw" or "document":
                        raw = member.Value.GetString() == "raw";
                        break;
                    case "response":
                        throw Invalid("response", "'response' must be \"raw\" or \"document\".");
                    default:
                        throw Invalid(member.Name, $"Unknown member '{member.Name}'; an execute request has 'inputs', 'outputs' and 'response'.");
                }
            }
            return new ExecuteRequest(inputs, outputs, raw);
        }

        /// <summary>
        /// raw: the outputs themselves (one as the body, several as multipart/related); document: every output by
        /// name. The outputs not selected are dropped and the rest written as they are: an inline result stays the
        /// bytes it was written as.
        /// </summary>
        public IResult Respond(JsonObject results)
        {
            if (Outputs is not null)
            {
                foreach (var name in results.Select(r => r.Key).Where(n => !Outputs.Contains(n)).ToList()) results.Remove(name);
            }
            if (!Raw) return Results.Json(results);
            if (results.Count == 0)
                throw Invalid("outputs", "response=raw returns the outputs themselves, but none of those selected was produced; select others or ask for \"document\".");
            return RawResponse.Create(results);
        }

        private static ProblemException Invalid(string member, string detail) =>
            new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, $"Invalid execute request: '{member}'", detail);
    }
}
