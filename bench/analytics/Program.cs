// bench/analytics: the writer's sustained rate, and the raw DuckDB baseline of the analytics API's queries.
//
//   generate DIR EVENTS DAYS [FILES_PER_HOUR]
//                              records EVENTS request events spread over the DAYS days before now through the real
//                              intake and writer (AnalyticsEvents → AnalyticsWriter → LocalObjectStore under DIR), and
//                              prints "events/s" of recording plus writing. FILES_PER_HOUR (default 1): the writer
//                              flushes that many times an hour, as processes × flushes do (60: one process, FlushSeconds=60).
//   raw DIR FROM TO GROUPBY INTERVAL RUNS
//                              runs the SQL the API runs for /admin/analytics/requests with those parameters, directly in
//                              DuckDB over every file of the lake (a glob, no pruning, no checks), RUNS times, and prints
//                              the median milliseconds and the row count.
//   settle DIR                 deletes what `meridian analytics compact` merged, as its next run does once the merged files
//                              are LakeCompactor.Grace old (a compactor whose clock is that much ahead), so that the raw
//                              glob reads each event once again.
//   report DIR FROM TO GROUPBY INTERVAL RUNS
//                              the API's own path in this process (partitions listed, footers checked, DuckDB locked
//                              down and run), its two halves timed apart: the file selection and DuckDB; medians.
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using DuckDB.NET.Data;
using Meridian.Analytics.Maintenance;
using Meridian.Analytics.Querying;
using Meridian.Analytics.Writing;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

return args switch
{
    ["generate", var dir, var events, var days] => await GenerateAsync(dir, long.Parse(events, CultureInfo.InvariantCulture), int.Parse(days, CultureInfo.InvariantCulture), 1),
    ["generate", var dir, var events, var days, var perHour] => await GenerateAsync(dir, long.Parse(events, CultureInfo.InvariantCulture),
        int.Parse(days, CultureInfo.InvariantCulture), int.Parse(perHour, CultureInfo.InvariantCulture)),
    ["report", var dir, var from, var to, var groupBy, var interval, var runs] => await ReportAsync(dir, from, to, groupBy, interval, int.Parse(runs, CultureInfo.InvariantCulture)),
    ["raw", var dir, var from, var to, var groupBy, var interval, var runs] => Raw(dir, from, to, groupBy, interval, int.Parse(runs, CultureInfo.InvariantCulture)),
    ["settle", var dir] => await SettleAsync(dir),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: generate DIR EVENTS DAYS [FILES_PER_HOUR] | raw|report DIR FROM TO GROUPBY INTERVAL RUNS");
    return 2;
}

static async Task<int> GenerateAsync(string dir, long count, int days, int filesPerHour)
{
    using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    var meters = services.GetRequiredService<IMeterFactory>();
    // Files as a busy process writes them: a file every 200,000 events, the buffer a little larger.
    var options = new MeridianOptions { Data = dir, Analytics = { MaxEventsPerFile = 200_000, MaxBufferedEvents = 1_000_000 } };
    var intake = new AnalyticsEvents(options, meters);
    using var writer = new AnalyticsWriter(intake, new LocalObjectStore(Path.Combine(dir, "objects")), options, meters, TimeProvider.System,
        NullLogger<AnalyticsWriter>.Instance) { Instance = "bench-1" };
    string[] routes = ["/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}", "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
        "/collections", "/processes/{processId}/execution", "/jobs/{jobId}", "/", "/conformance"];
    string[] collections = ["countries", "rivers", "places", "roads", "parcels", "buildings"];
    string[] tenants = ["acme", "globex", "initech", "umbrella"];
    var client = IPAddress.Parse("198.51.100.23");
    var random = new Random(42);
    var start = DateTime.UtcNow.AddDays(-days);
    var step = TimeSpan.FromDays(days) / count;
    var perFile = Math.Max(1, Math.Min(options.Analytics.MaxEventsPerFile, count / (days * 24L * filesPerHour)));
    var clock = Stopwatch.StartNew();
    for (long i = 0; i < count; i++)
    {
        var status = random.Next(100) switch { < 90 => 200, < 95 => 304, < 98 => 404, _ => 500 };
        intake.Record(new AnalyticsEvent
        {
            Kind = AnalyticsEventKind.Request, Time = start + step * i, Method = "GET", Route = routes[random.Next(routes.Length)],
            Collection = collections[random.Next(collections.Length)], Status = status, DurationMs = random.NextDouble() * random.Next(1, 200),
            Bytes = random.Next(200, 200_000), Tenant = tenants[random.Next(tenants.Length)], KeyId = "k" + random.Next(20), Client = client,
        });
        // Drained as the background loop would: a file's worth at a time.
        if (intake.Reader.Count >= perFile) await writer.FlushAsync(CancellationToken.None);
    }
    await writer.FlushAsync(CancellationToken.None);
    clock.Stop();
    var files = Directory.EnumerateFiles(Path.Combine(dir, "objects", "analytics"), "*.parquet", SearchOption.AllDirectories).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"events={count} files={files.Count} bytes={files.Sum(f => new FileInfo(f).Length)} seconds={clock.Elapsed.TotalSeconds:0.00} events_per_s={count / clock.Elapsed.TotalSeconds:0}"));
    return 0;
}

static async Task<int> ReportAsync(string dir, string from, string to, string groupBy, string interval, int runs)
{
    var query = Query(from, to, groupBy, interval);
    var store = new LocalObjectStore(Path.Combine(dir, "objects"));
    var check = new EventFileCheck();
    var lake = new LakeFiles(store, new LakeCache(Path.Combine(dir, "bench-cache"), 1L << 30), check, NullLogger<LakeFiles>.Instance);
    var duckDb = new DuckDbReports(check, NullLogger<DuckDbReports>.Instance);
    // The first ask checks every footer (the API keeps the verdicts): timed apart, then the repeated asks.
    var cold = Stopwatch.StartNew();
    var selection = await lake.SelectAsync(query.From, query.To, CancellationToken.None);
    var coldSelect = cold.Elapsed.TotalMilliseconds;
    var (selects, runsMs) = (new List<double>(), new List<double>());
    var rows = 0;
    for (var run = 0; run < runs; run++)
    {
        var clock = Stopwatch.StartNew();
        selection = await lake.SelectAsync(query.From, query.To, CancellationToken.None);
        selects.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        rows = (await duckDb.RunAsync(query, selection.Files, CancellationToken.None)).Rows.Count;
        runsMs.Add(clock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"files={selection.Files.Count} first_select_ms={coldSelect:0.0} select_ms={Median(selects):0.0} duckdb_ms={Median(runsMs):0.0} rows={rows}"));
    return 0;
}

static async Task<int> SettleAsync(string dir)
{
    var options = new MeridianOptions { Data = dir };
    var store = new LocalObjectStore(Path.Combine(dir, "objects"));
    var cache = new LakeCache(Path.Combine(dir, "bench-cache"), 1L << 30);
    var lake = new LakeFiles(store, cache, new EventFileCheck(), NullLogger<LakeFiles>.Instance);
    var later = new Ahead(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
    var result = await new LakeCompactor(store, lake, cache, options, later, NullLogger<LakeCompactor>.Instance).RunAsync(dryRun: false, CancellationToken.None);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deleted={result.FilesDeleted}"));
    return 0;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static AnalyticsQuery Query(string from, string to, string groupBy, string interval) => AnalyticsQuery.Parse(AnalyticsReport.Requests,
    new QueryCollection(QueryHelpers.ParseQuery($"from={from}&to={to}&groupBy={groupBy}&interval={interval}")), DateTimeOffset.UtcNow, 3660);

static int Raw(string dir, string from, string to, string groupBy, string interval, int runs)
{
    var query = Query(from, to, groupBy, interval);
    var glob = Path.Combine(Path.GetFullPath(dir), "objects", "analytics", "events", "**", "*.parquet");
    var times = new List<double>();
    var rows = 0;
    for (var run = 0; run < runs; run++)
    {
        var clock = Stopwatch.StartNew();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = DuckDbReports.Sql(query);
        command.Parameters.Add(new DuckDBParameter("files", glob));
        command.Parameters.Add(new DuckDBParameter("kind", query.Report.Kind));
        command.Parameters.Add(new DuckDBParameter("from", query.From));
        command.Parameters.Add(new DuckDBParameter("to", query.To));
        command.Parameters.Add(new DuckDBParameter("limit", query.Limit + 1));
        using var reader = command.ExecuteReader();
        rows = 0;
        while (reader.Read()) rows++;
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median_ms={Median(times):0.0} rows={rows}"));
    return 0;
}

/// <summary>The system clock, <paramref name="ahead"/> later.</summary>
internal sealed class Ahead(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
}
