using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Gateway;

/// <summary>The gateway's answers, as RFC 9457 problems with one stable type per kind.</summary>
internal static class GatewayProblems
{
    private const string Prefix = "urn:meridian:problem:";
    public const string RequestBlocked = Prefix + "request-blocked";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Forbidden = Prefix + "forbidden";
    public const string RateLimited = Prefix + "rate-limited";
    public const string ResponseTooLarge = Prefix + "response-too-large";

    public static Task WriteAsync(HttpContext context, int status, string type, string title, string detail) =>
        ProblemWriter.WriteAsync(context, new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });
}
