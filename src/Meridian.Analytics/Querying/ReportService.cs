using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace Meridian.Analytics.Querying;

/// <summary>A report as the API returns it: what was asked, what was read, and the rows.</summary>
internal sealed record ReportDocument(
    string Report, string From, string To, string Interval, IReadOnlyList<string> GroupBy, int FilesRead, IReadOnlyList<string> SkippedFiles,
    bool Truncated, IReadOnlyList<Dictionary<string, object?>> Rows);

/// <summary>One report request from start to end: parameters checked, files pruned and fetched, DuckDB run.</summary>
internal sealed class ReportService(LakeFiles lake, DuckDbReports duckDb, MeridianOptions options, TimeProvider time)
{
    /// <summary>At most this many skipped keys are named in a document; the log has them all.</summary>
    private const int MaxSkippedShown = 20;

    public async Task<ReportDocument> AnswerAsync(AnalyticsReport report, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = AnalyticsQuery.Parse(report, request.Query, time.GetUtcNow(), options.Analytics.MaxQueryDays);
        var selection = await lake.SelectAsync(query.From, query.To, cancellationToken);
        var result = await duckDb.RunAsync(query, selection.Files, cancellationToken);
        var skipped = selection.Skipped.Concat(result.Unreadable).ToList();
        return new ReportDocument(report.Name, AnalyticsQuery.Iso(query.From), AnalyticsQuery.Iso(query.To), query.Interval.ToString().ToLowerInvariant(),
            query.GroupBy, selection.Files.Count - result.Unreadable.Count, skipped.Take(MaxSkippedShown).ToList(), result.Truncated, result.Rows);
    }
}
