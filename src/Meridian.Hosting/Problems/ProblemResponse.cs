using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Writes a <see cref="ProblemException"/> as the response without throwing it: for problems that carry a
/// validator, since the exception middleware strips <c>ETag</c> (and cache headers) from what it handles.
/// </summary>
public static class ProblemResponse
{
    public static Task WriteAsync(HttpContext context, ProblemException problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ProblemWriter.WriteAsync(context, Details(context, problem));
    }

    internal static ProblemDetails Details(HttpContext context, ProblemException problem)
    {
        foreach (var (name, value) in problem.Headers) context.Response.Headers[name] = value;
        var details = new ProblemDetails { Status = problem.Status, Type = problem.Type, Title = problem.Title, Detail = problem.Message };
        foreach (var (name, value) in problem.Extensions) details.Extensions[name] = value;
        return details;
    }
}
