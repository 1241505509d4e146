using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Meridian.Hosting.Problems;

/// <summary>
/// Gives bodiless errors (unmatched routes, 405s, a bare status from a handler) a problem body. It is what
/// <c>UseStatusCodePages</c> did, under the same conditions: its <see cref="IStatusCodePagesFeature"/> switches it off for
/// a request, <see cref="ISkipStatusCodePagesMetadata"/> for an endpoint. The framework's middleware also puts its
/// re-execution path into HttpContext.Items on every request (Meridian has none: the Items dictionary was made for that
/// alone) and takes an async step even when the request is done synchronously; this one does neither.
/// </summary>
internal sealed class StatusCodeProblemsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = new StatusCodePagesFeature();
        context.Features.Set<IStatusCodePagesFeature>(feature);
        // Routing runs first, so the endpoint is usually known; a middleware inside may still set one.
        var endpointKnown = context.GetEndpoint() is not null;
        if (Skips(context)) feature.Enabled = false;
        var handled = next(context);
        return handled.IsCompletedSuccessfully ? ProblemIfBodiless(context, feature, endpointKnown) : AwaitedAsync(handled, context, feature, endpointKnown);
    }

    private static async Task AwaitedAsync(Task handled, HttpContext context, StatusCodePagesFeature feature, bool endpointKnown)
    {
        await handled;
        await ProblemIfBodiless(context, feature, endpointKnown);
    }

    private static Task ProblemIfBodiless(HttpContext context, StatusCodePagesFeature feature, bool endpointKnown)
    {
        var response = context.Response;
        if (!feature.Enabled || !endpointKnown && Skips(context)) return Task.CompletedTask;
        // A body (or the promise of one) is already there.
        if (response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength.HasValue
            || !string.IsNullOrEmpty(response.ContentType)) return Task.CompletedTask;
        return ProblemWriter.WriteAsync(context, new ProblemDetails());
    }

    private static bool Skips(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ISkipStatusCodePagesMetadata>() is not null;
}
