using System.Text.Json.Nodes;

namespace Meridian.Processing.Api;

/// <summary>
/// The OpenAPI 3.0 path items of the process and job endpoints, merged into <c>/api</c>. Each operation has the
/// operationId of OGC's own OpenAPI definition of Part 1 (getProcesses, execute, getStatus…): clients, and OGC's
/// conformance suite, find the operations by those ids.
/// </summary>
internal static class ProcessesOpenApi
{
    public static JsonObject Paths() => new()
    {
        ["/processes"] = Item("get", ProcessList()),
        ["/processes/{processId}"] = Item("get", Operation("getProcessDescription", "Describe a process", Id("processId"),
            ("200", "The description with its input and output schemas."), ("404", "No such process."))),
        ["/processes/{processId}/execution"] = Item("post", Execute()),
        ["/jobs"] = Item("get", JobList()),
        ["/jobs/{jobId}"] = new JsonObject
        {
            ["get"] = Operation("getStatus", "A job's status", Id("jobId"), ("200", "statusInfo."), ("404", "No such job.")),
            ["delete"] = Operation("dismiss", "Dismiss a job", Id("jobId"), ("200", "The dismissed job's status."), ("404", "No such job.")),
        },
        ["/jobs/{jobId}/results"] = Item("get", Operation("getResult", "A job's results", Id("jobId"),
            ("200", "The results document."), ("404", "No such job, or its results are not ready."))),
    };

    /// <summary>GET /jobs with the parameters of the job-list conformance class (and Meridian's offset for paging).</summary>
    private static JsonObject JobList()
    {
        var operation = Operation("getJobs", "List the jobs", null, ("200", "The most recent jobs first; next and prev links page through them."),
            ("400", "A parameter is invalid; the problem names it."));
        var parameters = (JsonArray)operation["parameters"]!;
        var statuses = new JsonArray("accepted", "running", "successful", "failed", "dismissed");
        parameters.Add(Query("type", Strings(new JsonArray(JobListQuery.ProcessType)), "Jobs of these kinds only; every Meridian job is a process job."));
        parameters.Add(Query("processID", Strings(null), "Jobs of these processes only."));
        parameters.Add(Query("status", Strings(statuses), "Jobs in these states only."));
        parameters.Add(Query("datetime", new JsonObject { ["type"] = "string" }, "Jobs created at this RFC 3339 instant or within this interval ('..' for an open end)."));
        parameters.Add(Query("minDuration", Integer(0, null), "Jobs that have run at least this many seconds (until they ended, or until now while running)."));
        parameters.Add(Query("maxDuration", Integer(0, null), "Jobs that have run at most this many seconds."));
        foreach (var parameter in PageParameters("jobs", JobListQuery.DefaultLimit)) parameters.Add(parameter);
        return operation;
    }

    private static JsonObject ProcessList()
    {
        var operation = Operation("getProcesses", "List the processes", null, ("200", "Summaries of the processes; next and prev links page through them."),
            ("400", "limit or offset is invalid."));
        foreach (var parameter in PageParameters("processes", Paging.MaxLimit)) ((JsonArray)operation["parameters"]!).Add(parameter);
        return operation;
    }

    private static JsonObject[] PageParameters(string what, int defaultLimit) =>
    [
        Query("limit", Integer(1, Paging.MaxLimit, defaultLimit), $"The most {what} on a page."),
        Query("offset", Integer(0, null), $"How many {what} to skip (the next and prev links set it)."),
    ];

    private static JsonObject Query(string name, JsonObject schema, string description) => new()
    {
        // Arrays are form-style exploded, OpenAPI's default for query parameters (status=a&status=b); Meridian also takes status=a,b.
        ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description, ["schema"] = schema,
    };

    private static JsonObject Strings(JsonArray? values) => new()
    {
        ["type"] = "array",
        ["items"] = values is null ? new JsonObject { ["type"] = "string" } : new JsonObject { ["type"] = "string", ["enum"] = values },
    };

    private static JsonObject Integer(int minimum, int? maximum, int? @default = null)
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = minimum };
        if (maximum is { } max) schema["maximum"] = max;
        if (@default is { } value) schema["default"] = value;
        return schema;
    }

    private static JsonObject Execute()
    {
        var operation = Operation("execute", "Execute a process", Id("processId"),
            ("200", "Synchronous: the outputs (response=raw: one output as itself, several as multipart/related; document: every output by name)."),
            ("201", "Asynchronous (Prefer: respond-async): the job's status; Location names it."),
            ("400", "An input is missing, unknown or invalid; the problem names it."),
            ("401", "No valid API key."), ("404", "No such process."));
        ((JsonArray)operation["parameters"]!).Add(new JsonObject
        {
            ["name"] = "Prefer", ["in"] = "header", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("respond-async") },
        });
        operation["requestBody"] = new JsonObject
        {
            ["required"] = true,
            ["content"] = new JsonObject
            {
                ["application/json"] = new JsonObject
                {
                    ["schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["inputs"] = new JsonObject { ["type"] = "object" },
                            ["outputs"] = new JsonObject { ["type"] = "object" },
                            ["response"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("raw", "document") },
                        },
                    },
                },
            },
        };
        operation["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }, new JsonObject { ["bearer"] = new JsonArray() });
        return operation;
    }

    private static JsonObject Item(string method, JsonObject operation) => new() { [method] = operation };

    private static JsonObject Operation(string operationId, string summary, JsonObject? parameter, params (string Status, string Description)[] responses)
    {
        var byStatus = new JsonObject();
        foreach (var (status, description) in responses) byStatus[status] = new JsonObject { ["description"] = description };
        return new JsonObject
        {
            ["operationId"] = operationId,
            ["tags"] = new JsonArray("Processes"),
            ["summary"] = summary,
            ["parameters"] = parameter is null ? new JsonArray() : new JsonArray(parameter),
            ["responses"] = byStatus,
        };
    }

    private static JsonObject Id(string name) => new()
    {
        ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" },
    };
}
