using System.Text.Json.Nodes;

namespace Meridian.Processing.Api;

/// <summary>The OpenAPI 3.0 path items of the process and job endpoints, merged into <c>/api</c>.</summary>
internal static class ProcessesOpenApi
{
    public static JsonObject Paths() => new()
    {
        ["/processes"] = Item("get", Operation("List the processes", null, ("200", "Summaries of every process."))),
        ["/processes/{processId}"] = Item("get", Operation("Describe a process", Id("processId"),
            ("200", "The description with its input and output schemas."), ("404", "No such process."))),
        ["/processes/{processId}/execution"] = Item("post", Execute()),
        ["/jobs"] = Item("get", Operation("List the jobs", null, ("200", "The most recent jobs first."))),
        ["/jobs/{jobId}"] = new JsonObject
        {
            ["get"] = Operation("A job's status", Id("jobId"), ("200", "statusInfo."), ("404", "No such job.")),
            ["delete"] = Operation("Dismiss a job", Id("jobId"), ("200", "The dismissed job's status."), ("404", "No such job.")),
        },
        ["/jobs/{jobId}/results"] = Item("get", Operation("A job's results", Id("jobId"),
            ("200", "The results document."), ("404", "No such job, or its results are not ready."))),
    };

    private static JsonObject Execute()
    {
        var operation = Operation("Execute a process", Id("processId"),
            ("200", "Synchronous: the outputs (response=raw: the one output; document: every output by name)."),
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

    private static JsonObject Operation(string summary, JsonObject? parameter, params (string Status, string Description)[] responses)
    {
        var byStatus = new JsonObject();
        foreach (var (status, description) in responses) byStatus[status] = new JsonObject { ["description"] = description };
        return new JsonObject
        {
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
