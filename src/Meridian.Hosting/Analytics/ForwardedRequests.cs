using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Analytics;

/// <summary>
/// Requests a gateway forwarded to the Meridian process that answered them. That process records the request's analytics
/// event; the gateway recording it too would count every proxied request twice in the reports.
/// </summary>
public static class ForwardedRequests
{
    private sealed class AnsweredUpstream
    {
        public static readonly AnsweredUpstream Instance = new();
    }

    /// <summary>Marks the request as answered by the destination it was forwarded to.</summary>
    public static void MarkAnsweredUpstream(HttpContext context) => context.Features.Set(AnsweredUpstream.Instance);

    internal static bool WasAnsweredUpstream(HttpContext context) => context.Features.Get<AnsweredUpstream>() is not null;
}
