using System.Text.Json.Nodes;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Api;

/// <summary>A job as OGC API – Processes Part 1 describes it (statusInfo), with Meridian's progress details.</summary>
public static class JobStatusDocument
{
    public const string ResultsRel = "http://www.opengis.net/def/rel/ogc/1.0/results";

    public static JsonObject Create(JobRecord job, HttpRequest request)
    {
        var self = JobUrl(request, job.Id);
        var links = new JsonArray { Link(self, "self", "application/json", "This job's status") };
        // While it runs, the status is what to poll (IANA "monitor"): a client following links knows where to wait.
        if (job.Status is JobStatus.Accepted or JobStatus.Running) links.Add(Link(self, "monitor", "application/json", "Poll this status until the job ends"));
        if (job.Status == JobStatus.Successful) links.Add(Link(self + "/results", ResultsRel, "application/json", "The job's results"));
        var document = new JsonObject
        {
            ["jobID"] = job.Id,
            ["processID"] = job.Type,
            ["type"] = "process",
            ["status"] = job.Status.ToString().ToLowerInvariant(),
            ["message"] = job.Message,
            ["created"] = job.Created,
            ["started"] = job.Started,
            ["finished"] = job.Finished,
            ["updated"] = job.Updated,
            ["progress"] = job.Percent,
            ["links"] = links,
        };
        if (job.Details is { } details) document["details"] = JsonNode.Parse(details);
        // statusInfo.yaml has no nullable members: what is not known yet (started, finished, progress, message) is left out.
        foreach (var name in document.Where(m => m.Value is null).Select(m => m.Key).ToList()) document.Remove(name);
        return document;
    }

    public static string JobUrl(HttpRequest request, string id) =>
        $"{Hosting.Http.RequestUrls.Base(request)}/jobs/{Uri.EscapeDataString(id)}";

    private static JsonObject Link(string href, string rel, string type, string title) =>
        new() { ["href"] = href, ["rel"] = rel, ["type"] = type, ["title"] = title };
}
