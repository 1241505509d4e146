using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Formats.Html;

public static class HtmlResponse
{
    public static Task WriteAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
