using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Processing.Api;
using Meridian.Processing.Jobs;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Processing.Workflows.Api;

/// <summary>
/// Workflow definitions (register or replace by name, list, read, delete) and their executions, which are jobs of
/// type "workflow" followed through <c>/jobs/{id}</c>. Writes need the write credential. With tenants, definitions and
/// executions are the caller's tenant's (see <see cref="WorkflowRegistry"/>, <see cref="WorkflowJobHandler"/>).
/// </summary>
public static class WorkflowsApi
{
    /// <summary>The largest definition or execution input accepted: far beyond any real workflow, small enough to refuse abuse early.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    private const string BodySetting = "the workflow API's 256 KiB limit";

    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder endpoints)
    {
        var workflows = endpoints.MapGroup("/workflows").WithTags("Workflows");
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        workflows.MapPost("", Register).WithName("register-workflow");
        workflows.MapMethods("", read, List).WithName("workflows");
        workflows.MapMethods("/{name}", read, Get).WithName("workflow");
        workflows.MapDelete("/{name}", Delete).WithName("delete-workflow");
        workflows.MapPost("/{name}/executions", Start).WithName("start-workflow");
        return endpoints;
    }

    private static async Task<IResult> Register(HttpContext context, WriteAccess access, WorkflowRegistry registry)
    {
        access.Require(context);
        using var body = await JsonRequestBody.ReadAsync(context, MaxBodyBytes, BodySetting, "application/json");
        WorkflowDefinition definition;
        bool created;
        try
        {
            (definition, created) = await registry.RegisterAsync(ToNode(body), context.RequestAborted);
        }
        catch (WorkflowDefinitionException e)
        {
            var problem = new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, "Invalid workflow definition",
                $"The definition has {e.Errors.Count} error(s); see 'errors'.");
            problem.Extensions["errors"] = e.Errors.Select(error => new { path = error.Path, detail = error.Reason }).ToList();
            throw problem;
        }
        context.Response.Headers.Location = WorkflowUrl(context.Request, definition.Name);
        return Results.Json(definition.Source, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> List(HttpContext context, WorkflowRegistry registry)
    {
        var list = (await registry.ListAsync(context.RequestAborted))
            .Select(d => (JsonNode)new JsonObject
            {
                ["name"] = (string?)d["Name"],
                ["comment"] = (string?)d["Comment"],
                ["links"] = new JsonArray
                {
                    Link(WorkflowUrl(context.Request, (string)d["Name"]!), "self"),
                    Link(WorkflowUrl(context.Request, (string)d["Name"]!) + "/executions", "executions"),
                },
            }).ToArray();
        return Results.Json(new JsonObject { ["workflows"] = new JsonArray(list) });
    }

    /// <summary>The definition exactly as registered, so that it can be edited and registered again.</summary>
    private static async Task<IResult> Get(HttpContext context, WorkflowRegistry registry, string name) =>
        Results.Json(await FindAsync(registry, name, context));

    private static async Task<IResult> Delete(HttpContext context, WriteAccess access, WorkflowRegistry registry, string name)
    {
        access.Require(context);
        if (!await registry.DeleteAsync(name, context.RequestAborted)) throw NotFound(name);
        return Results.NoContent();
    }

    /// <summary>The body is the execution's input (any JSON; none means {}); 201 with the job and its Location.</summary>
    private static async Task<IResult> Start(HttpContext context, WriteAccess access, WorkflowRegistry registry, JobQueue jobs, CollectionCatalog catalog, string name)
    {
        access.Require(context);
        var definition = await FindAsync(registry, name, context);
        JsonNode? input = new JsonObject();
        if (context.Request.ContentLength is not 0 && context.Request.ContentType is not null)
        {
            using var body = await JsonRequestBody.ReadAsync(context, MaxBodyBytes, BodySetting, "application/json");
            input = ToNode(body);
        }
        // The steps will run in a worker as this caller: its tenant owns the job, and an admin's sight is kept with it.
        var caller = catalog.CurrentCaller();
        var inputs = new WorkflowJobInputs(name, definition, input, caller?.Admin ?? false);
        var (job, _) = await jobs.SubmitAsync(TenantCaller.Submits(caller, WorkflowJobHandler.JobType, inputs.ToJson(),
            IdempotencyKey.Read(context.Request)), context.RequestAborted);
        context.Response.Headers.Location = JobStatusDocument.JobUrl(context.Request, job.Id);
        return Results.Json(JobStatusDocument.Create(job, context.Request), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The body as a tree; a member named twice would be ambiguous, so such a body is refused.</summary>
    private static JsonNode? ToNode(System.Text.Json.JsonDocument body)
    {
        try
        {
            return JsonNode.Parse(body.RootElement.GetRawText(), documentOptions: new System.Text.Json.JsonDocumentOptions
            {
                AllowDuplicateProperties = false,
                MaxDepth = JsonRequestBody.MaxDepth,
            });
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, "Invalid body", e.Message);
        }
    }

    private static async Task<JsonObject> FindAsync(WorkflowRegistry registry, string name, HttpContext context) =>
        await registry.GetAsync(name, context.RequestAborted) ?? throw NotFound(name);

    private static ProblemException NotFound(string name) => ProblemException.NotFound($"There is no workflow '{name}'.");

    private static string WorkflowUrl(HttpRequest request, string name) => $"{RequestUrls.Base(request)}/workflows/{Uri.EscapeDataString(name)}";

    private static JsonObject Link(string href, string rel) => new() { ["href"] = href, ["rel"] = rel, ["type"] = "application/json" };
}
