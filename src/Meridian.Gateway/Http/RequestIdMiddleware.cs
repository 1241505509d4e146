using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Http;

/// <summary>
/// Gives every request an id: the caller's X-Request-Id when it is short and plain, otherwise the trace
/// identifier. It is echoed in the response, used as the request's TraceIdentifier (so problems and logs carry
/// it) and forwarded to backends, which then log the same id.
/// </summary>
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
        context.Response.Headers[Header] = id;
        return next(context);
    }
}
