using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Querying;

/// <summary>A report's answer: one row per group and time bucket, each a map of output names to values.</summary>
internal sealed record ReportRows(IReadOnlyList<Dictionary<string, object?>> Rows, bool Truncated, IReadOnlyList<string> Unreadable);

/// <summary>
/// Runs a report over a list of files with an in-memory DuckDB, one connection per query, locked down to those files
/// (<see cref="LakeDuckDb"/>). The SQL is made only from the report's tables; the interval and the limit are parameters,
/// the files a parameter too. A file DuckDB cannot read is left out of the answer (and named), never a reason to fail it.
/// </summary>
internal sealed partial class DuckDbReports(EventFileCheck check, ILogger<DuckDbReports> logger)
{
    /// <summary>Past this many files a failing query is not taken apart file by file to find the bad one: it fails.</summary>
    private const int MaxProbed = 500;

    public async Task<ReportRows> RunAsync(AnalyticsQuery query, IReadOnlyList<LakeFile> files, CancellationToken cancellationToken)
    {
        var remaining = files.ToList();
        var unreadable = new List<string>();
        while (true)
        {
            if (remaining.Count == 0) return new ReportRows([], false, unreadable);
            try
            {
                return await Task.Run(() => Run(query, remaining, unreadable, cancellationToken), cancellationToken);
            }
            catch (DuckDBException e)
            {
                // DuckDB names the file it could not read, mostly; else each is read whole on its own. The others still
                // deserve an answer, even when the bad one is the only file of the interval.
                var bad = remaining.Where(f => e.Message.Contains(f.Path, StringComparison.Ordinal)).ToList();
                if (bad.Count == 0 && remaining.Count <= MaxProbed)
                    bad = await Task.Run(() => remaining.Where(f => !LakeDuckDb.ReadsWhole(f.Path)).ToList(), cancellationToken);
                // Every file reads whole: the query is at fault, not a file (and no file is marked for it).
                if (bad.Count == 0) throw;
                foreach (var file in bad)
                {
                    LogUnreadable(file.Key.Value, e.Message);
                    check.MarkUnreadable(file.Identity, e.Message);
                    unreadable.Add(file.Key.Value);
                    remaining.Remove(file);
                }
            }
        }
    }

    /// <summary>The SELECT of a query: the bucket, the groups' columns, the measures (exposed for the benchmark's raw baseline).</summary>
    public static string Sql(AnalyticsQuery query)
    {
        var keys = new List<string>();
        if (Bucket(query.Interval) is { } bucket) keys.Add($"{bucket} AS bucket");
        keys.AddRange(query.GroupBy.SelectMany(g => query.Report.Dimensions[g]));
        var select = string.Join(", ", keys.Concat(query.Report.Measures.Select(m => $"{m.Sql} AS \"{m.Name}\"")));
        var order = new List<string>();
        if (keys.Count > 0 && query.Interval != TimeBucket.None) order.Add("bucket");
        order.Add($"\"{query.Report.Measures[0].Name}\" DESC");
        order.AddRange(query.GroupBy.SelectMany(g => query.Report.Dimensions[g]).Select(c => $"{c} NULLS LAST"));
        return $"""
            SELECT {select}
            FROM read_parquet($files, hive_partitioning = true, union_by_name = true)
            WHERE kind = $kind AND time >= $from AND time < $to
            {(keys.Count > 0 ? "GROUP BY ALL" : "")}
            ORDER BY {string.Join(", ", order)}
            LIMIT $limit
            """;
    }

    private static string? Bucket(TimeBucket interval) => interval switch
    {
        TimeBucket.Hour => "date_trunc('hour', time)",
        TimeBucket.Day => "date_trunc('day', time)",
        _ => null,
    };

    private static ReportRows Run(AnalyticsQuery query, List<LakeFile> files, List<string> unreadable, CancellationToken cancellationToken)
    {
        using var connection = LakeDuckDb.Open(files.Select(f => f.Path));
        using var command = connection.CreateCommand();
        command.CommandText = Sql(query);
        command.Parameters.Add(new DuckDBParameter("files", files.Select(f => f.Path).ToList()));
        command.Parameters.Add(new DuckDBParameter("kind", query.Report.Kind));
        command.Parameters.Add(new DuckDBParameter("from", query.From));
        command.Parameters.Add(new DuckDBParameter("to", query.To));
        command.Parameters.Add(new DuckDBParameter("limit", query.Limit + 1)); // one more tells that there were more
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        var truncated = false;
        while (reader.Read())
        {
            if (rows.Count == query.Limit)
            {
                truncated = true;
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            rows.Add(Row(reader));
        }
        return new ReportRows(rows, truncated, unreadable);
    }

    private static Dictionary<string, object?> Row(DbDataReader reader)
    {
        var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++) row[OutputName(reader.GetName(i))] = Value(reader.IsDBNull(i) ? null : reader.GetValue(i));
        return row;
    }

    /// <summary>Columns keep camel-case names in JSON, as the measures have: process_id is processId.</summary>
    private static string OutputName(string column)
    {
        var parts = column.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static object? Value(object? value) => value switch
    {
        DateTime time => AnalyticsQuery.Iso(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset time => AnalyticsQuery.Iso(time.UtcDateTime),
        System.Numerics.BigInteger big => (long)big,
        decimal number => (double)number,
        double number when double.IsNaN(number) || double.IsInfinity(number) => null,
        double number => Math.Round(number, 3),
        _ => value,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Analytics: DuckDB could not read {Key}; queries leave it out from now on: {Error}")]
    private partial void LogUnreadable(string key, string error);
}
