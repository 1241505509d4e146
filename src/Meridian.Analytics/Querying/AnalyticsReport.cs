namespace Meridian.Analytics.Querying;

/// <summary>
/// One report of the API: which events it counts, what it may be grouped by and what it measures. Every piece of SQL
/// a query runs comes from these tables; what a client sends only chooses among them (and fills parameters).
/// </summary>
/// <param name="Name">The API's name for it: the last path segment.</param>
/// <param name="Kind">The events it reads (the <c>kind</c> column).</param>
/// <param name="Dimensions">groupBy values and the columns each stands for.</param>
/// <param name="Measures">Output names and their aggregate expressions; the first orders the groups.</param>
internal sealed record AnalyticsReport(
    string Name, string Kind, IReadOnlyDictionary<string, string[]> Dimensions, IReadOnlyList<(string Name, string Sql)> Measures)
{
    private const string Duration = "duration_ms";

    private static readonly (string, string)[] Latency =
    [
        ("p50Ms", $"quantile_cont({Duration}, 0.5)"), ("p95Ms", $"quantile_cont({Duration}, 0.95)"), ("p99Ms", $"quantile_cont({Duration}, 0.99)"),
    ];

    private static readonly Dictionary<string, string[]> Common = new(StringComparer.Ordinal)
    {
        ["tenant"] = ["tenant"], ["role"] = ["role"], ["instance"] = ["instance"],
    };

    public static readonly AnalyticsReport Requests = new("requests", "request",
        With(("endpoint", ["method", "route"]), ("collection", ["collection"]), ("process", ["process_id"]), ("status", ["status"]),
            ("key", ["key_id"]), ("client", ["client_net"])),
        [
            ("requests", "count(*)"),
            ("clientErrors", "count(*) FILTER (WHERE status BETWEEN 400 AND 499)"),
            ("serverErrors", "count(*) FILTER (WHERE status >= 500)"),
            // The share of requests the server failed (5xx): what an operator pages on; 4xx are the clients'.
            ("errorRate", "count(*) FILTER (WHERE status >= 500) / count(*)"),
            .. Latency,
            ("bytes", "sum(bytes)"),
        ]);

    public static readonly AnalyticsReport Jobs = new("jobs", "job",
        With(("process", ["process_id"]), ("status", ["outcome"])),
        [
            ("jobs", "count(*)"),
            ("successful", "count(*) FILTER (WHERE outcome = 'successful')"),
            ("failed", "count(*) FILTER (WHERE outcome = 'failed')"),
            ("dismissed", "count(*) FILTER (WHERE outcome = 'dismissed')"),
            .. Latency,
        ]);

    public static readonly AnalyticsReport Ingest = new("ingest", "ingest",
        With(("collection", ["collection"]), ("format", ["format"]), ("status", ["outcome"])),
        [
            ("ingests", "count(*)"),
            ("failed", "count(*) FILTER (WHERE outcome = 'failed')"),
            ("featuresRead", "sum(features_read)"),
            ("featuresLoaded", "sum(features_loaded)"),
            ("featuresRejected", "sum(features_rejected)"),
            ("bytes", "sum(bytes)"),
            .. Latency,
        ]);

    public static IReadOnlyList<AnalyticsReport> All { get; } = [Requests, Jobs, Ingest];

    private static Dictionary<string, string[]> With(params (string Name, string[] Columns)[] dimensions)
    {
        var all = new Dictionary<string, string[]>(Common, StringComparer.Ordinal);
        foreach (var (name, columns) in dimensions) all[name] = columns;
        return all;
    }
}
