using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Api;

/// <summary>A process as OGC API – Processes Part 1 describes it: the summary in the list, the full description with its inputs and outputs.</summary>
public static class ProcessDocuments
{
    public const string ExecuteRel = "http://www.opengis.net/def/rel/ogc/1.0/execute";

    public static JsonObject Summary(ProcessDescription process, HttpRequest request)
    {
        var self = Url(request, "/processes/" + Uri.EscapeDataString(process.Id));
        return new JsonObject
        {
            ["id"] = process.Id,
            ["title"] = process.Title,
            ["description"] = process.Description,
            ["version"] = process.Version,
            ["jobControlOptions"] = new JsonArray("sync-execute", "async-execute", "dismiss"),
            ["outputTransmission"] = new JsonArray("value"),
            ["links"] = new JsonArray(
                Link(self, "self", "The process description"),
                Link(self + "/execution", ExecuteRel, "Execute the process")),
        };
    }

    public static JsonObject Description(ProcessDescription process, HttpRequest request)
    {
        var document = Summary(process, request);
        document["inputs"] = process.Inputs.DeepClone();
        document["outputs"] = process.Outputs.DeepClone();
        return document;
    }

    public static string Url(HttpRequest request, string path) => Hosting.Http.RequestUrls.Base(request) + path;

    public static JsonObject Link(string href, string rel, string title) =>
        new() { ["href"] = href, ["rel"] = rel, ["type"] = "application/json", ["title"] = title };
}
