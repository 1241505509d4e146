using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Http;

/// <summary>Absolute URLs built from the request, so that links work behind whatever host name the client used.</summary>
public static class RequestUrls
{
    /// <summary>Scheme, host and path base, e.g. <c>https://maps.example.org/geo</c>.</summary>
    public static string Base(HttpRequest request) => $"{request.Scheme}://{Authority(request)}{request.PathBase}";

    /// <summary>
    /// The host the client named; an HTTP/1.0 request may name none, and its links then name the address and port it
    /// reached, which that client can reach again (rather than <c>http:///</c>, which no client can follow).
    /// </summary>
    public static HostString Authority(HttpRequest request)
    {
        if (request.Host.HasValue) return request.Host;
        var connection = request.HttpContext.Connection;
        if (connection.LocalIpAddress is not { } address) return new HostString("localhost");
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        // An IPv6 zone is written %25 in a URI (RFC 6874).
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address.ToString().Replace("%", "%25")}]" : address.ToString();
        return new HostString(host, connection.LocalPort);
    }
}
