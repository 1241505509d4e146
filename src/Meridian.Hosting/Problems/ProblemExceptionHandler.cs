using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Maps exceptions to problem details in one place: known errors keep their status, a store that cannot be reached is
/// a 503, the rest are 500s; both logged here: since .NET 10 the exception handler middleware no longer logs an
/// exception a handler has handled.
/// </summary>
internal sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var details = exception switch
        {
            ProblemException p => ProblemResponse.Details(context, p),
            // A filter the binder accepted but the store cannot run on these values: still the request's fault.
            Storage.Filtering.FilterException f => ProblemResponse.Details(context, ProblemException.InvalidParameter("filter", f.Message)),
            // Read in the moment between another process replacing the table and its announcement: retrying is the answer.
            Storage.CollectionChangedException c => ProblemResponse.Details(context, new ProblemException(StatusCodes.Status503ServiceUnavailable,
                ProblemTypes.Unavailable, "Collection changed", c.Message) { Headers = { [HeaderNames.RetryAfter] = "1" } }),
            BadHttpRequestException { StatusCode: 413 } b => new ProblemDetails { Status = 413, Type = ProblemTypes.PayloadTooLarge, Title = "Payload too large", Detail = b.Message },
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Type = ProblemTypes.InvalidParameter, Title = "Bad request", Detail = b.Message },
            // Kestrel reports most malformed request framing as BadHttpRequestException, but some (a chunk size past 64 bits)
            // as an IOException thrown by its own body parser: the request's fault all the same.
            IOException io when IsKestrels(io) => new ProblemDetails { Status = 400, Type = ProblemTypes.InvalidBody, Title = "Bad request", Detail = $"The request body cannot be read: {io.Message}" },
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ when StoreOutage.IsOutage(exception) => StoreOutage.Problem(),
            _ => new ProblemDetails { Status = 500, Type = ProblemTypes.Internal, Title = "Internal error", Detail = "The error was logged with the request's trace id." },
        };
        if (details is null) return true;
        // Only the outage arm above makes a 503 of an exception that is not a problem already.
        var outage = details.Status == 503 && exception is not ProblemException;
        if (details.Status == 500) LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        if (outage) LogOutage(logger, exception, context.Request.Method, context.Request.Path);
        // The client has gone (an upload it cut off, say): writing would only fail again, inside the middleware.
        if (context.RequestAborted.IsCancellationRequested) return true;
        if (context.Response.HasStarted || ResponseStreaming.HasStarted(context))
        {
            // Part of a streamed body may already be out: a problem appended to it would read as data.
            // Cutting the connection is the only honest signal left.
            context.Abort();
            return true;
        }
        if (outage) context.Response.Headers.RetryAfter = StoreOutage.RetryAfterSeconds;
        await ProblemWriter.WriteAsync(context, details);
        return true;
    }

    private static bool IsKestrels(IOException exception) =>
        exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true;

    [LoggerMessage(Level = LogLevel.Error, Message = "A store cannot be reached answering {Method} {Path}; answered 503")]
    private static partial void LogOutage(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
