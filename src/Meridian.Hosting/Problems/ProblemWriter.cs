using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Writes RFC 9457 problem details. Always as application/problem+json, whatever the Accept header says:
/// a client that asked for something we cannot give (406) still deserves to be told why.
/// </summary>
internal static class ProblemWriter
{
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
        return context.Response.WriteAsJsonAsync(problem, Json, "application/problem+json", context.RequestAborted);
    }

    private static string TypeFor(int status) => status switch
    {
        404 => ProblemTypes.NotFound,
        405 => ProblemTypes.MethodNotAllowed,
        406 => ProblemTypes.NotAcceptable,
        413 => ProblemTypes.PayloadTooLarge,
        415 => ProblemTypes.UnsupportedMediaType,
        503 => ProblemTypes.Unavailable,
        >= 400 and < 500 => ProblemTypes.InvalidParameter,
        _ => ProblemTypes.Internal,
    };

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
