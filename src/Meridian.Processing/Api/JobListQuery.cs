using Meridian.Features.Api;
using Meridian.Hosting.Problems;
using Meridian.Storage.Jobs;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Api;

/// <summary>
/// The query parameters of <c>GET /jobs</c> (OGC API – Processes Part 1, job-list conformance class): <c>type</c>,
/// <c>processID</c>, <c>status</c>, <c>datetime</c>, <c>minDuration</c>/<c>maxDuration</c> (seconds), <c>limit</c>, and
/// Meridian's <c>offset</c> for the next and previous pages. The list parameters may repeat or be comma-separated.
/// </summary>
public static class JobListQuery
{
    public const int DefaultLimit = 100;

    /// <summary>Every job Meridian runs is an OGC API – Processes job (statusInfo type "process").</summary>
    public const string ProcessType = "process";

    /// <summary>The store query, or null when <c>type</c> names only kinds of job Meridian has none of (the list is empty).</summary>
    public static JobQuery? Parse(IQueryCollection query)
    {
        var (limit, offset) = Paging.Parse(query, DefaultLimit);
        if (List(query, "type") is { } types && !types.Contains(ProcessType)) return null;
        var minDuration = Paging.Integer(query, "minDuration", 0, int.MaxValue);
        var maxDuration = Paging.Integer(query, "maxDuration", 0, int.MaxValue);
        if (minDuration > maxDuration)
            throw ProblemException.InvalidParameter("minDuration", "minDuration is greater than maxDuration.");
        return new JobQuery(limit, offset,
            Types: List(query, "processID"),
            Statuses: List(query, "status")?.Select(Status).ToList(),
            Created: query.TryGetValue("datetime", out var datetime) ? ItemsQueryParser.ParseDatetime(datetime.ToString()) : null,
            MinDuration: minDuration is { } min ? TimeSpan.FromSeconds(min) : null,
            MaxDuration: maxDuration is { } max ? TimeSpan.FromSeconds(max) : null);
    }

    /// <summary>The values of a parameter given repeated (type=a&amp;type=b) or comma-separated (type=a,b); null when absent.</summary>
    private static List<string>? List(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values)) return null;
        var list = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        return list.Count > 0 ? list : throw ProblemException.InvalidParameter(name, $"{name} is empty.");
    }

    private static readonly Dictionary<string, JobStatus> StatusNames =
        Enum.GetValues<JobStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    private static JobStatus Status(string text) =>
        StatusNames.TryGetValue(text, out var status)
            ? status
            : throw ProblemException.InvalidParameter("status", $"Unknown status '{text}'; a job is {string.Join(", ", StatusNames.Keys)}.");
}
