using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Gateway.Http;

/// <summary>
/// Headers every response gets. No Content-Security-Policy: the tiles role's map page loads MapLibre and
/// workers in ways a generic policy would break; that page sets what it needs itself.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            // A backend's own Server header is hidden too, as nginx's proxy_hide_header does by default.
            headers.Remove(HeaderNames.Server);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "SAMEORIGIN";
            headers["Referrer-Policy"] = "no-referrer";
            if (response.HttpContext.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
