using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meridian.Cli;

/// <summary>
/// What the verbs that talk to a running Meridian share: the <c>--server</c> option (parsed here, since
/// System.CommandLine cannot bind Uri), an HTTP client carrying the key from MERIDIAN_API_KEY, and errors as the
/// problem's detail.
/// </summary>
internal static class RemoteServer
{
    public const string ApiKeyVariable = "MERIDIAN_API_KEY";

    /// <summary>An absolute http(s) URL; the trailing slash makes relative paths (ingest, jobs/…) resolve under it.</summary>
    public static async Task<Uri?> ParseAsync(string address)
    {
        if (Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https") return url;
        await Console.Error.WriteLineAsync($"error: --server '{address}': expected an http(s) URL, e.g. http://127.0.0.1:8080");
        return null;
    }

    public static Option<string> RequiredOption() => new("--server")
    {
        Description = $"The running Meridian, e.g. http://127.0.0.1:8080; the API key comes from {ApiKeyVariable}.",
        Required = true,
    };

    public static HttpClient Client(Uri server)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key) http.DefaultRequestHeaders.Add("X-API-Key", key);
        return http;
    }

    /// <summary>
    /// The pause before the next poll of a job: a tenth of a second for the first ten seconds, so that the end of a
    /// short job (most ingests, most processes) is seen at once, then half a second, so that a long job costs the
    /// server two status reads a second.
    /// </summary>
    public static TimeSpan PollDelay(int poll) => TimeSpan.FromMilliseconds(poll is >= 0 and < 100 ? 100 : 500);

    /// <summary>
    /// Polls a job until it ends, handing every status document to <paramref name="onStatus"/> (with whether it is
    /// the last, the job having ended), then prints its results (to stdout) when it succeeded; true when it did.
    /// </summary>
    public static async Task<bool> FollowJobAsync(HttpClient http, Uri job, Func<JsonNode, bool, Task> onStatus, CancellationToken ct)
    {
        for (var polls = 0; ; polls++)
        {
            var status = JsonNode.Parse(await http.GetStringAsync(job, ct))!;
            var state = (string?)status["status"];
            var ended = state is "successful" or "failed" or "dismissed";
            await onStatus(status, ended);
            if (ended)
            {
                if (state == "successful") await Console.Out.WriteLineAsync(await http.GetStringAsync(new Uri(job, job.AbsolutePath + "/results"), ct));
                return state == "successful";
            }
            await Task.Delay(PollDelay(polls), ct);
        }
    }

    /// <summary>The detail of a problem response, else the body as it is.</summary>
    public static string Detail(string problem)
    {
        try
        {
            var json = JsonNode.Parse(problem);
            var detail = (string?)json?["detail"] ?? problem;
            return json?["errors"] is JsonArray errors ? detail + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + Line(e))) : detail;
        }
        catch (JsonException)
        {
            return problem;
        }
    }

    private static string Line(JsonNode? error) => error is JsonObject o ? $"{(string?)o["path"] ?? (string?)o["pointer"]}: {(string?)o["detail"]}" : error?.ToString() ?? "";
}
