using System.Text.Json;
using Meridian.Analytics.Querying;
using Meridian.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Analytics.Api;

/// <summary>
/// The analytics API, for administrators only (under <c>/admin</c>: the gateway's policies ask for the admin scope, and
/// <see cref="AdminAccess"/> refuses everyone when nobody is authenticated):
/// <c>GET /admin/analytics/requests|jobs|ingest?from=&amp;to=&amp;groupBy=&amp;interval=&amp;limit=</c>. Structured parameters
/// only: no SQL from a client ever reaches DuckDB.
/// </summary>
internal static class AnalyticsApi
{
    public const string Prefix = "/admin/analytics";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapAnalyticsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix).AddEndpointFilter(AdminAccess.Require("Analytics"));
        group.MapGet("/requests", (HttpContext context, ReportService reports) => AnswerAsync(AnalyticsReport.Requests, context, reports));
        group.MapGet("/jobs", (HttpContext context, ReportService reports) => AnswerAsync(AnalyticsReport.Jobs, context, reports));
        group.MapGet("/ingest", (HttpContext context, ReportService reports) => AnswerAsync(AnalyticsReport.Ingest, context, reports));
    }

    private static async Task<IResult> AnswerAsync(AnalyticsReport report, HttpContext context, ReportService reports)
    {
        var document = await reports.AnswerAsync(report, context.Request, context.RequestAborted);
        // Usage figures change with every flush and are nobody's but the administrators': never cached along the way.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(document, Json);
    }
}
