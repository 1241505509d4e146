using Meridian.Analytics.Lake;
using Meridian.Analytics.Querying;
using Meridian.Analytics.Writing;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.AspNetCore.Http;
using Parquet;
using Parquet.Schema;

namespace Meridian.Analytics.Tests.Querying;

/// <summary>
/// The reports over files the real writer put in a real object store, read back the way the analytics role reads them
/// (listed, pruned, fetched, checked, DuckDB): the same cases for every adapter.
/// </summary>
public abstract class ReportsContract : IAsyncLifetime
{
    private readonly TempDirectory _work = new();
    private readonly DroppedEvents _meters = new();
    private IObjectStore _store = null!;
    private AnalyticsEvents _events = null!;
    private AnalyticsWriter _writer = null!;
    private ReportService _reports = null!;

    protected abstract Task<IObjectStore> CreateStoreAsync(string workDirectory);

    private TestLogger<LakeFiles> LakeLog { get; } = new();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync(_work.Path);
        var options = new MeridianOptions { Data = _work.Path };
        _events = new AnalyticsEvents(options, _meters.Factory);
        _writer = new AnalyticsWriter(_events, _store, options, _meters.Factory, TimeProvider.System, new TestLogger<AnalyticsWriter>()) { Instance = "test-1" };
        var check = new EventFileCheck();
        var lake = new LakeFiles(_store, new LakeCache(Path.Combine(_work.Path, "cache"), 1L << 30), check, LakeLog);
        _reports = new ReportService(lake, new DuckDbReports(check, new TestLogger<DuckDbReports>()), options, TimeProvider.System);
    }

    [Fact]
    public async Task Requests_ByEndpoint_CountErrorsLatencyAndBytes()
    {
        await WriteAsync(
            Events.Request(Events.Utc(1, 7, 10), "/collections/{collectionId}/items", 200, 10, bytes: 1000),
            Events.Request(Events.Utc(1, 7, 20), "/collections/{collectionId}/items", 500, 20, bytes: 50),
            Events.Request(Events.Utc(1, 7, 30), "/collections/{collectionId}/items", 404, 30, bytes: null),
            Events.Request(Events.Utc(1, 7, 40), "/collections", 201, 40, method: "POST"));

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01T07:00:00Z&to=2026-03-01T08:00:00Z&groupBy=endpoint");

        Assert.Equal(1, report.FilesRead);
        Assert.Equal(2, report.Rows.Count);
        var items = report.Rows[0];
        Assert.Equal("GET", items["method"]);
        Assert.Equal("/collections/{collectionId}/items", items["route"]);
        Assert.Equal(3L, items["requests"]);
        Assert.Equal(1L, items["clientErrors"]);
        Assert.Equal(1L, items["serverErrors"]);
        Assert.Equal(0.333, items["errorRate"]);
        Assert.Equal(20.0, items["p50Ms"]);
        Assert.Equal(1050L, items["bytes"]);
        Assert.Equal("POST", report.Rows[1]["method"]);
        Assert.Equal(1L, report.Rows[1]["requests"]);
    }

    [Fact]
    public async Task Requests_ByHourAndTenant_BucketAndGroup()
    {
        await WriteAsync(
            Events.Request(Events.Utc(1, 7, 10), "/a", 200, tenant: "acme"),
            Events.Request(Events.Utc(1, 7, 20), "/a", 200, tenant: "acme"),
            Events.Request(Events.Utc(1, 8, 10), "/a", 200, tenant: "globex"),
            Events.Request(Events.Utc(1, 8, 20), "/a", 200));

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02&groupBy=tenant&interval=hour");

        Assert.Equal(2, report.FilesRead);
        Assert.Equal(
            [("2026-03-01T07:00:00Z", "acme", 2L), ("2026-03-01T08:00:00Z", "globex", 1L), ("2026-03-01T08:00:00Z", null, 1L)],
            report.Rows.Select(r => ((string)r["bucket"]!, (string?)r["tenant"], (long)r["requests"]!)));
    }

    [Fact]
    public async Task Requests_TheIntervalIsHalfOpen_EventsOutsideAreNotCounted()
    {
        await WriteAsync(
            Events.Request(Events.Utc(1, 6, 59), "/a", 200),
            Events.Request(Events.Utc(1, 7, 0), "/a", 200),
            Events.Request(Events.Utc(1, 7, 30), "/a", 200),
            Events.Request(Events.Utc(1, 8, 0), "/a", 200));

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01T07:00:00Z&to=2026-03-01T07:30:00Z");

        Assert.Equal(1L, Assert.Single(report.Rows)["requests"]);
    }

    [Fact]
    public async Task Jobs_ByProcessAndStatus_CountOutcomesAndDurations()
    {
        await WriteAsync(
            Events.Job(Events.Utc(1, 7, 1), "buffer", "successful", 100),
            Events.Job(Events.Utc(1, 7, 2), "buffer", "successful", 300),
            Events.Job(Events.Utc(1, 7, 3), "buffer", "failed", 50),
            Events.Job(Events.Utc(1, 7, 4), "ingest", "dismissed", 10),
            Events.Request(Events.Utc(1, 7, 5), "/jobs", 200));

        var report = await AskAsync(AnalyticsReport.Jobs, "from=2026-03-01&to=2026-03-02&groupBy=process");

        Assert.Equal(2, report.Rows.Count);
        Assert.Equal("buffer", report.Rows[0]["processId"]);
        Assert.Equal(3L, report.Rows[0]["jobs"]);
        Assert.Equal(2L, report.Rows[0]["successful"]);
        Assert.Equal(1L, report.Rows[0]["failed"]);
        Assert.Equal(100.0, report.Rows[0]["p50Ms"]);
        Assert.Equal(1L, report.Rows[1]["dismissed"]);
    }

    [Fact]
    public async Task Ingest_ByCollection_SumsFeatures()
    {
        await WriteAsync(Events.Ingest(Events.Utc(1, 7, 1), "roads", 90, 10), Events.Ingest(Events.Utc(1, 7, 2), "roads", 10, 0),
            Events.Ingest(Events.Utc(1, 7, 3), "parks", 5, 5));

        var report = await AskAsync(AnalyticsReport.Ingest, "from=2026-03-01&to=2026-03-02&groupBy=collection");

        var roads = report.Rows.Single(r => (string?)r["collection"] == "roads");
        Assert.Equal(2L, roads["ingests"]);
        Assert.Equal(100L, roads["featuresLoaded"]);
        Assert.Equal(10L, roads["featuresRejected"]);
        Assert.Equal(110L, roads["featuresRead"]);
    }

    [Fact]
    public async Task Select_FilesOutsideTheInterval_AreNotRead()
    {
        await WriteAsync(Events.Request(Events.Utc(1, 7, 10), "/a", 200));
        // Not Parquet at all: reading either would fail. One is another hour of the same day, the other another day.
        await _store.PutAsync(LakeLayout.HourPrefix(Events.Utc(1, 9)) + "other-1-x.parquet", "garbage, not parquet"u8.ToArray());
        await _store.PutAsync(LakeLayout.HourPrefix(Events.Utc(2, 7)) + "other-1-y.parquet", "garbage, not parquet"u8.ToArray());

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01T07:00:00Z&to=2026-03-01T09:00:00Z");

        Assert.Equal(1, report.FilesRead);
        Assert.Empty(report.SkippedFiles);
        Assert.Empty(LakeLog.Entries);
        Assert.Equal(1L, Assert.Single(report.Rows)["requests"]);
    }

    [Fact]
    public async Task Select_CorruptFileInTheInterval_IsSkippedNamedAndLogged()
    {
        await WriteAsync(Events.Request(Events.Utc(1, 7, 10), "/a", 200));
        var corrupt = LakeLayout.HourPrefix(Events.Utc(1, 7)) + "other-1-x.parquet";
        await _store.PutAsync(corrupt, HostileFiles.Garbage);

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02");

        Assert.Equal([corrupt], report.SkippedFiles);
        Assert.Contains(LakeLog.Entries, e => e.Message.Contains(corrupt, StringComparison.Ordinal));
        Assert.Equal(1L, Assert.Single(report.Rows)["requests"]);
    }

    [Fact]
    public async Task Select_ParquetOfAnotherSchema_IsSkipped()
    {
        await WriteAsync(Events.Request(Events.Utc(1, 7, 10), "/a", 200));
        var foreign = LakeLayout.HourPrefix(Events.Utc(1, 7)) + "foreign-1-a.parquet";
        await _store.PutAsync(foreign, await ParquetAsync(new DataField<int>("answer"), 42));
        var clash = LakeLayout.HourPrefix(Events.Utc(1, 7)) + "foreign-1-b.parquet";
        await _store.PutAsync(clash, await ParquetAsync(new DataField<string>("kind"), "request", new DataField<string>("time"), "yesterday"));

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02");

        Assert.Equal([foreign, clash], report.SkippedFiles.Order(StringComparer.Ordinal));
        Assert.Equal(1L, Assert.Single(report.Rows)["requests"]);
    }

    [Fact]
    public async Task Select_FileWithCorruptPages_IsLeftOutOfTheQuery()
    {
        await WriteAsync(Events.Request(Events.Utc(1, 7, 10), "/a", 200));
        var damaged = LakeLayout.HourPrefix(Events.Utc(1, 7)) + "damaged-1-a.parquet";
        await _store.PutAsync(damaged, await HostileFiles.CorruptPagesAsync(Events.Utc(1, 7, 20)));

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02");

        Assert.Equal([damaged], report.SkippedFiles);
        Assert.Equal(1L, Assert.Single(report.Rows)["requests"]);
        var again = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02");
        Assert.Equal([damaged], again.SkippedFiles);
        Assert.Equal(1, again.FilesRead);
    }

    [Fact]
    public async Task Select_TheIntervalsOnlyFileHasCorruptPages_IsSkippedNotAFailure()
    {
        // Alone, the damaged file was blamed on the query (every file failed) and the report answered 500.
        var damaged = LakeLayout.HourPrefix(Events.Utc(1, 7)) + "damaged-1-a.parquet";
        await _store.PutAsync(damaged, await HostileFiles.CorruptPagesAsync(Events.Utc(1, 7, 20)));

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02&groupBy=endpoint");

        Assert.Equal([damaged], report.SkippedFiles);
        Assert.Equal(0, report.FilesRead);
        Assert.Empty(report.Rows);
    }

    [Fact]
    public async Task Requests_EmptyLake_AreNoRows()
    {
        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02&groupBy=endpoint&interval=day");

        Assert.Equal(0, report.FilesRead);
        Assert.Empty(report.Rows);
    }

    [Fact]
    public async Task Requests_MoreGroupsThanTheLimit_AreTruncated()
    {
        await WriteAsync(Enumerable.Range(0, 5).Select(i => Events.Request(Events.Utc(1, 7, i), "/r" + i, 200)).ToArray());

        var report = await AskAsync(AnalyticsReport.Requests, "from=2026-03-01&to=2026-03-02&groupBy=endpoint&limit=3");

        Assert.Equal(3, report.Rows.Count);
        Assert.True(report.Truncated);
    }

    [Theory]
    [InlineData("from=9999-12-30&to=9999-12-31T23:59:59Z")]
    [InlineData("from=9999-12-31&to=9999-12-31T23:59:59Z&interval=hour")]
    [InlineData("from=9999-12-31T12:00:00Z&to=9999-12-31T23:59:59.9999999Z&interval=day")]
    [InlineData("from=0001-01-01&to=0001-01-02&interval=hour")]
    public async Task Requests_AtTheEdgesOfTime_AreEmptyReports(string queryString)
    {
        await WriteAsync(Events.Request(Events.Utc(1, 7, 10), "/a", 200));

        var report = await AskAsync(AnalyticsReport.Requests, queryString);

        Assert.Equal(0, report.FilesRead);
        Assert.Empty(report.Rows);
    }

    private async Task WriteAsync(params AnalyticsEvent[] events)
    {
        foreach (var analyticsEvent in events) _events.Record(analyticsEvent);
        Assert.Equal(events.Length, await _writer.FlushAsync(CancellationToken.None));
    }

    private static async Task<byte[]> ParquetAsync(DataField field, object value, DataField? second = null, object? secondValue = null)
    {
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(second is null ? [field] : [field, second]), file))
        {
            using var group = writer.CreateRowGroup();
            await WriteColumnAsync(group, field, value);
            if (second is not null) await WriteColumnAsync(group, second, secondValue!);
        }
        return file.ToArray();
    }

    private static Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, object value) => value switch
    {
        int number => group.WriteAsync<int>(field, new[] { number }),
        _ => group.WriteAsync(field, new[] { (string)value }),
    };

    private Task<ReportDocument> AskAsync(AnalyticsReport report, string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?" + queryString);
        return _reports.AnswerAsync(report, context.Request, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _writer.Dispose();
        (_store as IDisposable)?.Dispose();
        _meters.Dispose();
        _work.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class LocalReportsTests : ReportsContract
{
    protected override Task<IObjectStore> CreateStoreAsync(string workDirectory) => Task.FromResult(TestStores.Local(workDirectory));
}

public sealed class EncryptedLocalReportsTests : ReportsContract
{
    protected override Task<IObjectStore> CreateStoreAsync(string workDirectory) => Task.FromResult(TestStores.EncryptedLocal(workDirectory));
}

public sealed class S3ReportsTests : ReportsContract
{
    private readonly S3TestBucket _bucket = new();

    protected override Task<IObjectStore> CreateStoreAsync(string workDirectory) => TestStores.S3Async(_bucket);
}
