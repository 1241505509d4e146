using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Http;

/// <summary>Absolute URLs built from the request, so that links work behind whatever host name the client used.</summary>
public static class RequestUrls
{
    /// <summary>Scheme, host and path base, e.g. <c>https://maps.example.org/geo</c>.</summary>
    public static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
