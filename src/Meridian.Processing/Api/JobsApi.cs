using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Processing.Jobs;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Processing.Api;

/// <summary>The job endpoints of OGC API – Processes Part 1: list, status, results and dismissal.</summary>
public static class JobsApi
{
    private const string ResultNotReady = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/result-not-ready";
    private const string NoSuchJob = "http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-job";

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder endpoints)
    {
        var jobs = endpoints.MapGroup("/jobs").WithTags("Jobs");
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        jobs.MapMethods("", read, List).WithName("jobs");
        jobs.MapMethods("/{jobId}", read, Status).WithName("job");
        jobs.MapMethods("/{jobId}/results", read, JobResults).WithName("job-results");
        jobs.MapDelete("/{jobId}", Dismiss).WithName("dismiss-job");
        return endpoints;
    }

    /// <summary>A page of the jobs the query selects, with self and (when there are more) next and prev links (/req/job-list/links).</summary>
    private static async Task<IResult> List(HttpContext context, IJobStore store)
    {
        var query = JobListQuery.Parse(context.Request.Query) is { } parsed
            ? parsed with { Visibility = context.RequestServices.GetRequiredService<CollectionCatalog>().JobVisibility() }
            : null;
        // One more than the page tells whether a next page exists.
        IReadOnlyList<JobRecord> jobs = query is null ? [] : await store.ListAsync(query with { Limit = query.Limit + 1 }, context.RequestAborted);
        var page = jobs.Take(query?.Limit ?? 0).Select(j => (JsonNode)JobStatusDocument.Create(j, context.Request)).ToArray();
        var links = Paging.Links(context.Request, query?.Limit ?? 1, query?.Offset ?? 0, jobs.Count > page.Length, "This list");
        return Results.Json(new JsonObject { ["jobs"] = new JsonArray(page), ["links"] = links });
    }

    private static async Task<IResult> Status(HttpContext context, IJobStore store, string jobId) =>
        Results.Json(JobStatusDocument.Create(await FindAsync(store, jobId, context), context.Request));

    private static async Task<IResult> JobResults(HttpContext context, IJobStore store, string jobId)
    {
        var job = await FindAsync(store, jobId, context);
        return job.Status switch
        {
            JobStatus.Successful => Results.Text(job.Results ?? "{}", "application/json"),
            JobStatus.Failed => throw new ProblemException(StatusCodes.Status404NotFound, ResultNotReady, "The job failed",
                job.Message ?? "The job failed and has no results."),
            _ => throw new ProblemException(StatusCodes.Status404NotFound, ResultNotReady, "Results not ready",
                $"The job is {job.Status.ToString().ToLowerInvariant()}; results exist once it is successful."),
        };
    }

    /// <summary>Dismissal is a write: it cancels a running job (an ingest rolls back) and drops an ended one's results.</summary>
    private static async Task<IResult> Dismiss(HttpContext context, IJobStore store, JobEnds ends, WriteAccess access, string jobId)
    {
        access.Require(context);
        await FindAsync(store, jobId, context);
        await ends.DismissAsync(store, jobId, context.RequestAborted);
        return Results.Json(JobStatusDocument.Create((await store.GetAsync(jobId, context.RequestAborted))!, context.Request));
    }

    private static async Task<JobRecord> FindAsync(IJobStore store, string jobId, HttpContext context) =>
        await GetVisibleAsync(store, jobId, context)
        ?? throw new ProblemException(StatusCodes.Status404NotFound, NoSuchJob, "No such job", $"There is no job '{jobId}'.");

    /// <summary>
    /// The job, if the caller may see it: with tenants, another tenant's job does not exist for it (its results show
    /// the collections it read), as another tenant's collection does not.
    /// </summary>
    internal static async Task<JobRecord?> GetVisibleAsync(IJobStore store, string jobId, HttpContext context) =>
        await store.GetAsync(jobId, context.RequestAborted) is { } job
        && context.RequestServices.GetRequiredService<CollectionCatalog>().JobVisibility()?.Sees(job) != false
            ? job
            : null;
}
