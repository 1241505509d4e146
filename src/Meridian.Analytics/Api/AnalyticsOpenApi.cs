using System.Text.Json.Nodes;
using Meridian.Analytics.Querying;

namespace Meridian.Analytics.Api;

/// <summary>The OpenAPI 3.0 path items of the analytics reports, merged into <c>/api</c>.</summary>
internal static class AnalyticsOpenApi
{
    public static JsonObject Paths()
    {
        var paths = new JsonObject();
        foreach (var report in AnalyticsReport.All)
        {
            paths[$"{AnalyticsApi.Prefix}/{report.Name}"] = new JsonObject
            {
                ["get"] = new JsonObject
                {
                    ["operationId"] = $"analytics{char.ToUpperInvariant(report.Name[0])}{report.Name[1..]}",
                    ["summary"] = $"Usage: {report.Name} ({string.Join(", ", report.Measures.Select(m => m.Name))}), by group and time bucket",
                    ["tags"] = new JsonArray("Analytics"),
                    ["parameters"] = new JsonArray(
                        Query("from", DateTime(), "Start of the interval (RFC 3339 with an offset, or a date for midnight UTC); default: 24 hours before to."),
                        Query("to", DateTime(), "End of the interval, excluded; default: now."),
                        Query("groupBy", new JsonObject { ["type"] = "string", ["pattern"] = $"^({string.Join("|", report.Dimensions.Keys)})(,({string.Join("|", report.Dimensions.Keys)}))*$" },
                            $"Comma-separated groups, at most {AnalyticsQuery.MaxGroups}: {string.Join(", ", report.Dimensions.Keys)}."),
                        Query("interval", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("none", "hour", "day"), ["default"] = "none" },
                            "Time buckets (UTC); none: totals over the interval."),
                        Query("limit", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = AnalyticsQuery.MaxLimit, ["default"] = AnalyticsQuery.DefaultLimit },
                            "Rows at most; truncated says when there were more.")),
                    // The gateway's credentials with the admin scope: an API key, or a bearer token.
                    ["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }, new JsonObject { ["bearer"] = new JsonArray() }),
                    ["responses"] = new JsonObject
                    {
                        ["200"] = Response("The rows, with the files read and any skipped as unreadable."),
                        ["400"] = Response("A parameter is invalid; the problem names it."),
                        ["401"] = Response("No credentials."),
                        ["403"] = Response("The credentials lack the admin scope, or authentication is not configured."),
                    },
                },
            };
        }
        return paths;
    }

    private static JsonObject DateTime() => new() { ["type"] = "string", ["format"] = "date-time" };

    private static JsonObject Query(string name, JsonObject schema, string description) => new()
    {
        ["name"] = name, ["in"] = "query", ["required"] = false, ["schema"] = schema, ["description"] = description,
    };

    private static JsonObject Response(string description) => new() { ["description"] = description };
}
