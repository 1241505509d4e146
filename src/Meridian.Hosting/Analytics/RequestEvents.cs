using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Hosting.Analytics;

/// <summary>The analytics event of a request, from what the request metrics already computed and what the request carries.</summary>
internal static class RequestEvents
{
    // The claims the gateway's policies give an authenticated caller (Meridian.Gateway.Auth.GatewayClaims).
    private const string TenantClaim = "tenant";
    private const string KeyIdClaim = "key_id";

    /// <summary>Route values and claims are the client's words: longer ones are cut, so that no row carries a large value.</summary>
    private const int MaxValueLength = 128;

    public static AnalyticsEvent Create(HttpContext context, RouteValueDictionary routeValues, string method, string route, int status, TimeSpan elapsed)
    {
        var user = context.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        // A 404 may name a collection or process that does not exist: whatever a client typed, which is not usage of anything.
        var named = status != StatusCodes.Status404NotFound;
        return new AnalyticsEvent
        {
            Kind = AnalyticsEventKind.Request,
            Time = DateTime.UtcNow,
            Method = method,
            Route = route,
            Collection = named ? RouteValue(routeValues, "collectionId") : null,
            ProcessId = named ? RouteValue(routeValues, "processId") : null,
            Status = status,
            DurationMs = elapsed.TotalMilliseconds,
            Bytes = context.Response.ContentLength,
            Tenant = authenticated ? Bounded(user.FindFirst(TenantClaim)?.Value) : null,
            KeyId = authenticated ? Bounded(user.FindFirst(KeyIdClaim)?.Value) : null,
            Client = context.Connection.RemoteIpAddress,
        };
    }

    private static string? RouteValue(RouteValueDictionary values, string name) =>
        values.TryGetValue(name, out var value) ? Bounded(value as string) : null;

    private static string? Bounded(string? value) => value is { Length: > MaxValueLength } ? value[..MaxValueLength] : value;
}
