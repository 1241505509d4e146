using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meridian.Cli;

/// <summary>
/// <c>meridian workflow register|start|status</c> against a running server: register a definition file, start an
/// execution (optionally following it to its end), show an execution's job.
/// </summary>
internal static class WorkflowCommand
{
    public static Command Create() => new("workflow", "Register and run workflows on a running Meridian (see examples/workflows).")
    {
        RegisterVerb(), StartVerb(), StatusVerb(),
    };

    private static Command RegisterVerb()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A workflow definition (JSON); registering a name again replaces it." };
        var server = RemoteServer.RequiredOption();
        var command = new Command("register", "Register or replace a workflow definition.") { file, server };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(server)!, async http =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"error: {path.FullName} does not exist");
                return 2;
            }
            using var body = new StringContent(await File.ReadAllTextAsync(path.FullName, ct), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("workflows", body, ct);
            if (!await SucceededAsync(response, ct)) return 1;
            await Console.Error.WriteLineAsync($"registered {response.Headers.Location}");
            return 0;
        }));
        return command;
    }

    private static Command StartVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow to run." };
        var input = new Option<string?>("--input") { Description = "The execution's input as JSON (default {})." };
        var wait = new Option<bool>("--wait") { Description = "Follow the execution until it ends; the exit code says whether it succeeded." };
        var key = new Option<string?>("--idempotency-key") { Description = "Starting again with the same key returns the same execution." };
        var server = RemoteServer.RequiredOption();
        var command = new Command("start", "Start an execution; prints its job.") { name, input, wait, key, server };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(server)!, async http =>
        {
            var json = parse.GetValue(input) ?? "{}";
            try
            {
                JsonNode.Parse(json);
            }
            catch (JsonException e)
            {
                await Console.Error.WriteLineAsync($"error: --input is not valid JSON: {e.Message}");
                return 2;
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, $"workflows/{Uri.EscapeDataString(parse.GetValue(name)!)}/executions")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            if (parse.GetValue(key) is { } idempotencyKey) request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await http.SendAsync(request, ct);
            if (!await SucceededAsync(response, ct)) return 1;
            var job = response.Headers.Location!;
            await Console.Error.WriteLineAsync($"started {job}");
            return parse.GetValue(wait) ? await FollowAsync(http, job, ct) : 0;
        }));
        return command;
    }

    private static Command StatusVerb()
    {
        var job = new Argument<string>("JOB") { Description = "The execution's job id (or its URL)." };
        var server = RemoteServer.RequiredOption();
        var command = new Command("status", "Show an execution's status, its recent steps, and its results once it succeeded.") { job, server };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(server)!, async http =>
        {
            var id = parse.GetValue(job)!.TrimEnd('/').Split('/')[^1];
            using var response = await http.GetAsync($"jobs/{Uri.EscapeDataString(id)}", ct);
            if (!await SucceededAsync(response, ct)) return 1;
            if ((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["status"] == "successful")
                await Console.Out.WriteLineAsync(await http.GetStringAsync($"jobs/{Uri.EscapeDataString(id)}/results", ct));
            return 0;
        }));
        return command;
    }

    /// <summary>Follows the job until it ends, printing each new step; 0 when it succeeded.</summary>
    private static async Task<int> FollowAsync(HttpClient http, Uri job, CancellationToken ct)
    {
        string? lastMessage = null;
        var succeeded = await RemoteServer.FollowJobAsync(http, job, async (status, _) =>
        {
            if ((string?)status["message"] is { } message && message != lastMessage)
                await Console.Error.WriteLineAsync($"{(string?)status["status"]}: {lastMessage = message}");
        }, ct);
        return succeeded ? 0 : 1;
    }

    /// <summary>Prints the body (to stdout) when the server accepted the request, else the problem (to stderr).</summary>
    private static async Task<bool> SucceededAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode)
        {
            await Console.Out.WriteLineAsync(body);
            return true;
        }
        await Console.Error.WriteLineAsync($"error: the server answered {(int)response.StatusCode}: {RemoteServer.Detail(body)}");
        return false;
    }

    private static Task<int> RunAsync(string address, Func<HttpClient, Task<int>> action) => MeridianCli.Guard(async () =>
    {
        if (await RemoteServer.ParseAsync(address) is not { } url) return 2;
        using var http = RemoteServer.Client(url);
        try
        {
            return await action(http);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"error: cannot reach {url}: {e.Message}");
            return 1;
        }
    });
}
