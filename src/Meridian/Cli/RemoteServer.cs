using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meridian.Cli;

/// <summary>
/// What the verbs that talk to a running server (<c>--server URL</c>) share: the URL's parsing (System.CommandLine
/// cannot bind a Uri), a client carrying the API key from MERIDIAN_API_KEY, and the problem details it answers.
/// </summary>
internal static class RemoteServer
{
    public const string ApiKeyVariable = "MERIDIAN_API_KEY";

    /// <summary>An absolute http(s) URL; the trailing slash makes relative paths (ingest, admin/…) resolve under it. Null after an error message.</summary>
    public static async Task<Uri?> ParseAsync(string address)
    {
        if (Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https") return url;
        await Console.Error.WriteLineAsync($"error: --server '{address}': expected an http(s) URL, e.g. http://127.0.0.1:8080");
        return null;
    }

    public static HttpClient Client(Uri server)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key) http.DefaultRequestHeaders.Add("X-API-Key", key);
        return http;
    }

    /// <summary>The detail of a problem answer, or the answer itself when it is not one.</summary>
    public static string Detail(string problem)
    {
        try
        {
            return (string?)JsonNode.Parse(problem)?["detail"] ?? problem;
        }
        catch (JsonException)
        {
            return problem;
        }
    }
}
