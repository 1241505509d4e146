using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Http;

/// <summary>
/// Gives every request an id: the caller's X-Request-Id when it is short and plain, otherwise the trace
/// identifier. It is echoed in the response, used as the request's TraceIdentifier (so problems and logs carry
/// it) and forwarded to backends, which then log the same id.
/// </summary>
/// <remarks>
/// The response header is set as the response starts, replacing whatever is there by then: ASP.NET Core's exception
/// handler clears the headers before writing a problem, and the gateway role copies a backend's headers onto its own
/// (a Meridian backend echoes the same id), which would otherwise drop the id or send it twice.
/// </remarks>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";
    private const int MaxLength = 128;
    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    public Task InvokeAsync(HttpContext context)
    {
        var given = context.Request.Headers[Header].ToString();
        var id = given.Length is > 0 and <= MaxLength && !given.AsSpan().ContainsAnyExcept(Allowed) ? given : context.TraceIdentifier;
        context.TraceIdentifier = id;
        context.Request.Headers[Header] = id;
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[Header] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
