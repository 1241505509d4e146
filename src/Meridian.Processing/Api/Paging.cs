using System.Globalization;
using System.Text.Json.Nodes;
using Meridian.Features.Api;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Api;

/// <summary>
/// Pages of the process and job lists: <c>limit</c> (OGC API – Processes /req/core/pl-limit-definition and
/// /req/job-list/limit-definition) and Meridian's <c>offset</c>, which the <c>next</c> and <c>prev</c> links set.
/// </summary>
public static class Paging
{
    public const int MaxLimit = 1000;

    public static (int Limit, int Offset) Parse(IQueryCollection query, int defaultLimit) =>
        (Integer(query, "limit", 1, MaxLimit) ?? defaultLimit, Integer(query, "offset", 0, int.MaxValue) ?? 0);

    /// <summary>A non-negative integer query parameter within bounds, null when absent; anything else is a 400 naming it.</summary>
    public static int? Integer(IQueryCollection query, string name, int minimum, int maximum)
    {
        if (!query.TryGetValue(name, out var text)) return null;
        if (!int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
            throw ProblemException.InvalidParameter(name, $"{name} must be an integer from {minimum} to {maximum}.");
        return value;
    }

    /// <summary>self, and next when <paramref name="hasMore"/>, and prev when this is not the first page.</summary>
    public static JsonArray Links(HttpRequest request, int limit, int offset, bool hasMore, string title)
    {
        var links = new JsonArray { Link(Urls.Current(request), "self", title) };
        if (hasMore) links.Add(Link(WithOffset(request, offset + limit), "next", "The next page"));
        if (offset > 0) links.Add(Link(WithOffset(request, Math.Max(0, offset - limit)), "prev", "The previous page"));
        return links;
    }

    private static string WithOffset(HttpRequest request, int offset) =>
        Urls.Current(request, ("offset", offset == 0 ? null : offset.ToString(CultureInfo.InvariantCulture)));

    private static JsonObject Link(string href, string rel, string title) =>
        new() { ["href"] = href, ["rel"] = rel, ["type"] = "application/json", ["title"] = title };
}
