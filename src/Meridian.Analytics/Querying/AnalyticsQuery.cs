using System.Globalization;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Analytics.Querying;

/// <summary>How events are bucketed in time: not at all (totals over the interval), by UTC hour or by UTC day.</summary>
internal enum TimeBucket
{
    None,
    Hour,
    Day,
}

/// <summary>A validated query of one report: a half-open UTC interval [From, To), the groups, the buckets, a row limit.</summary>
internal sealed record AnalyticsQuery(AnalyticsReport Report, DateTime From, DateTime To, IReadOnlyList<string> GroupBy, TimeBucket Interval, int Limit)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;
    public const int MaxGroups = 4;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    private static readonly string[] Parameters = ["from", "to", "groupBy", "interval", "limit"];

    /// <summary>
    /// Reads the query string; anything wrong is a 400 problem naming the parameter: an unknown or repeated parameter, a
    /// time that is not RFC 3339 (or a date), from not before to, a range over <paramref name="maxDays"/>, an unknown group.
    /// Without from and to: the last 24 hours up to <paramref name="now"/>.
    /// </summary>
    public static AnalyticsQuery Parse(AnalyticsReport report, IQueryCollection query, DateTimeOffset now, int maxDays)
    {
        foreach (var (name, values) in query)
        {
            if (!Parameters.Contains(name, StringComparer.Ordinal))
                throw ProblemException.InvalidParameter(name, $"Unknown parameter '{Shorten(name)}'; this report takes {string.Join(", ", Parameters)}.");
            if (values.Count > 1) throw ProblemException.InvalidParameter(name, $"'{name}' is given {values.Count} times; give it once.");
        }
        var to = Time(query, "to") ?? now.UtcDateTime;
        // Clamped: 24 hours before a `to` in the first day of year 1 is not a DateTime (that range is then empty, a 400 below).
        var from = Time(query, "from") ?? (to - DateTime.MinValue < DefaultRange ? DateTime.MinValue : to - DefaultRange);
        if (from >= to) throw ProblemException.InvalidParameter("from", $"from ({Iso(from)}) must be before to ({Iso(to)}).");
        if (to - from > TimeSpan.FromDays(maxDays))
            throw ProblemException.InvalidParameter("to", $"The interval covers {(to - from).TotalDays:0.#} days; at most {maxDays} (Meridian:Analytics:MaxQueryDays).");
        return new AnalyticsQuery(report, from, to, Groups(report, query["groupBy"].ToString()), Bucket(query["interval"].ToString()), RowLimit(query["limit"].ToString()));
    }

    private static DateTime? Time(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values)) return null;
        var text = values.ToString();
        // RFC 3339 with its offset (Z or ±hh:mm), or a bare date for midnight UTC; nothing that depends on the server's zone.
        if (text.Length == 10 && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return date;
        if (text.Length is >= 20 and <= 40 && (text.EndsWith('Z') || text.EndsWith("z", StringComparison.Ordinal) || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            return instant.UtcDateTime;
        throw ProblemException.InvalidParameter(name, $"'{Shorten(text)}' is not an RFC 3339 date-time with an offset (2026-03-01T12:00:00Z) or a date (2026-03-01).");
    }

    private static List<string> Groups(AnalyticsReport report, string text)
    {
        if (text.Length == 0) return [];
        var groups = text.Split(',', StringSplitOptions.TrimEntries).ToList();
        var unknown = groups.FirstOrDefault(g => !report.Dimensions.ContainsKey(g));
        if (unknown is not null)
            throw ProblemException.InvalidParameter("groupBy", $"'{Shorten(unknown)}' is not a group of the {report.Name} report; groups: {string.Join(", ", report.Dimensions.Keys)}.");
        if (groups.Distinct(StringComparer.Ordinal).Count() != groups.Count) throw ProblemException.InvalidParameter("groupBy", "A group is named twice.");
        if (groups.Count > MaxGroups) throw ProblemException.InvalidParameter("groupBy", $"At most {MaxGroups} groups.");
        return groups;
    }

    private static TimeBucket Bucket(string text) => text switch
    {
        "" or "none" => TimeBucket.None,
        "hour" => TimeBucket.Hour,
        "day" => TimeBucket.Day,
        _ => throw ProblemException.InvalidParameter("interval", $"'{Shorten(text)}' is not an interval; intervals: hour, day, none."),
    };

    private static int RowLimit(string text)
    {
        if (text.Length == 0) return DefaultLimit;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > MaxLimit)
            throw ProblemException.InvalidParameter("limit", $"limit is a whole number from 1 to {MaxLimit}.");
        return limit;
    }

    public static string Iso(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>A client's value as quoted back in a problem: not all of a long one.</summary>
    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
