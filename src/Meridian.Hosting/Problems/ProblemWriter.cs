using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Writes RFC 9457 problem details, as application/problem+json whatever else the Accept header asks for: a client
/// that asked for something we cannot give (406) still deserves to be told why. The one exception is a client that
/// accepts application/json and rules out application/problem+json (OGC's conformance suites send exactly
/// <c>Accept: application/json</c> and check the answer's type): the same document is labelled application/json.
/// </summary>
internal static class ProblemWriter
{
    private const string ProblemJson = "application/problem+json";
    private const string PlainJson = "application/json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        problem.Status ??= context.Response.StatusCode;
        problem.Type ??= TypeFor(problem.Status.Value);
        problem.Title ??= ReasonPhrase(problem.Status.Value);
        problem.Instance ??= context.Request.Path;
        context.Response.StatusCode = problem.Status.Value;
        // An error says nothing lasting about the resource: no cache (browser, CDN) may keep it.
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(problem, Json, MediaType(context.Request), context.RequestAborted);
    }

    /// <summary>The media type of a problem for this request's Accept header (see the class).</summary>
    private static string MediaType(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var ranges)) return ProblemJson;
        var plainAccepted = false;
        foreach (var range in ranges)
        {
            if (range.Quality == 0) continue;
            // Not IsSubsetOf: it counts application/problem+json inside application/json by its +json suffix.
            if (range.MatchesAllTypes || range.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
                && (range.MatchesAllSubTypes || range.SubType.Equals("problem+json", StringComparison.OrdinalIgnoreCase)))
                return ProblemJson;
            plainAccepted |= range.MediaType.Equals(PlainJson, StringComparison.OrdinalIgnoreCase);
        }
        return plainAccepted ? PlainJson : ProblemJson;
    }

    private static string TypeFor(int status) => status switch
    {
        404 => ProblemTypes.NotFound,
        405 => ProblemTypes.MethodNotAllowed,
        406 => ProblemTypes.NotAcceptable,
        413 => ProblemTypes.PayloadTooLarge,
        415 => ProblemTypes.UnsupportedMediaType,
        // Bad gateway, unavailable, gateway timeout: what is behind this server did not answer, an outage to retry.
        502 or 503 or 504 => ProblemTypes.Unavailable,
        >= 400 and < 500 => ProblemTypes.InvalidParameter,
        _ => ProblemTypes.Internal,
    };

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
