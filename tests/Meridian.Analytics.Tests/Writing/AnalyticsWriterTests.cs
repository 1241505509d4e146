using Meridian.Analytics.Writing;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Tests.Writing;

public sealed class AnalyticsWriterTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly DroppedEvents _dropped = new();
    private readonly TestLogger<AnalyticsWriter> _log = new();
    private readonly LocalObjectStore _store;

    public AnalyticsWriterTests() => _store = new LocalObjectStore(_root.Path);

    [Fact]
    public async Task FlushAsync_EventsOfTwoHours_WritesOneFilePerHourUnderItsPartition()
    {
        var (events, writer) = Create();
        events.Record(Events.Request(Events.Utc(1, 7, 10), "/a", 200));
        events.Record(Events.Request(Events.Utc(1, 7, 50), "/a", 500));
        events.Record(Events.Request(Events.Utc(1, 8, 5), "/b", 200));

        Assert.Equal(3, await writer.FlushAsync(CancellationToken.None));

        var keys = await Keys();
        Assert.Equal(2, keys.Count);
        Assert.StartsWith("analytics/events/year=2026/month=03/day=01/hour=07/test-1-", keys[0]);
        Assert.StartsWith("analytics/events/year=2026/month=03/day=01/hour=08/test-1-", keys[1]);
        Assert.Equal(2L, Count(keys[0]));
        Assert.Equal(1L, Count(keys[1]));
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task FlushAsync_MoreThanAFilesWorth_WritesSeveralFiles()
    {
        var (events, writer) = Create(maxEventsPerFile: 100);
        for (var i = 0; i < 250; i++) events.Record(Events.Request(Events.Utc(1, 7), "/a", 200));

        Assert.Equal(250, await writer.FlushAsync(CancellationToken.None));

        Assert.Equal(3, (await Keys()).Count);
    }

    [Fact]
    public async Task StopAsync_WritesWhatIsPending_WithoutWaitingForTheInterval()
    {
        var (events, writer) = Create(flushSeconds: 3600);
        await writer.StartAsync(CancellationToken.None);
        events.Record(Events.Request(Events.Utc(1, 7), "/a", 200));
        events.Record(Events.Job(Events.Utc(1, 7), "buffer", "successful", 5));

        await writer.StopAsync(CancellationToken.None);

        var key = Assert.Single(await Keys());
        Assert.Equal(2L, Count(key));
    }

    [Fact]
    public async Task FlushAsync_ObjectStoreDown_KeepsEventsDropsTheOldestPastTheCapLogsOnceAndWritesWhenItIsBack()
    {
        var (events, writer) = Create(maxBufferedEvents: 1000, maxEventsPerFile: 500);
        // A file where the lake's folder should be: every write into it fails, as on a full or unmounted disk.
        var blocker = Path.Combine(_root.Path, "analytics");
        await File.WriteAllTextAsync(blocker, "not a folder");
        for (var i = 0; i < 1000; i++) events.Record(Events.Request(Events.Utc(1, 7), "/a", 200, durationMs: i));

        Assert.Equal(0, await writer.FlushAsync(CancellationToken.None));
        Assert.Equal(1000, writer.Pending);
        for (var i = 1000; i < 2000; i++) events.Record(Events.Request(Events.Utc(1, 7), "/a", 200, durationMs: i));
        Assert.Equal(0, await writer.FlushAsync(CancellationToken.None));

        Assert.Equal(1000, writer.Pending);
        Assert.Equal(1000, _dropped.ByReason[AnalyticsEvents.DroppedStoreOutage]);
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);

        File.Delete(blocker);
        Assert.Equal(1000, await writer.FlushAsync(CancellationToken.None));

        Assert.Equal(0, writer.Pending);
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Information);
        var keys = await Keys();
        // The newest were kept: the oldest thousand went when the cap was reached.
        Assert.Equal(1000.0, Scalar(keys, "min(duration_ms)"));
        Assert.Equal(1999.0, Scalar(keys, "max(duration_ms)"));
    }

    [Fact]
    public void Record_BufferFull_DropsAndCountsWithoutWaiting()
    {
        var (events, _) = Create(maxBufferedEvents: 1000, maxEventsPerFile: 100);

        for (var i = 0; i < 1500; i++) events.Record(Events.Request(Events.Utc(1, 7), "/a", 200));

        Assert.Equal(1000, events.Reader.Count);
        Assert.Equal(500, _dropped.ByReason[AnalyticsEvents.DroppedBufferFull]);
    }

    [Fact]
    public void Record_AnalyticsDisabled_KeepsNothing()
    {
        var events = new AnalyticsEvents(new MeridianOptions { Analytics = { Enabled = false } }, _dropped.Factory);

        events.Record(Events.Request(Events.Utc(1, 7), "/a", 200));

        Assert.Equal(0, events.Reader.Count);
    }

    [Theory]
    [InlineData(new string[0], "all")]
    [InlineData(new[] { "all" }, "all")]
    [InlineData(new[] { "Tiles,features" }, "features,tiles")]
    [InlineData(new[] { "features", "tiles", "features" }, "features,tiles")]
    public void RoleName_IsTheRolesSorted(string[] roles, string expected) => Assert.Equal(expected, AnalyticsWriter.RoleName(roles));

    private (AnalyticsEvents Events, AnalyticsWriter Writer) Create(int flushSeconds = 60, int maxEventsPerFile = 1000, int maxBufferedEvents = 10_000)
    {
        var options = new MeridianOptions
        {
            Analytics = { FlushSeconds = flushSeconds, MaxEventsPerFile = maxEventsPerFile, MaxBufferedEvents = maxBufferedEvents },
        };
        var events = new AnalyticsEvents(options, _dropped.Factory);
        return (events, new AnalyticsWriter(events, _store, options, _dropped.Factory, TimeProvider.System, _log) { Instance = "test-1" });
    }

    private async Task<List<string>> Keys()
    {
        var keys = new List<string>();
        await foreach (var info in _store.ListAsync("analytics/events/", CancellationToken.None)) keys.Add(info.Key.Value);
        return keys;
    }

    private long Count(string key) => Convert.ToInt64(Scalar([key], "count(*)"));

    private object Scalar(IEnumerable<string> keys, string aggregate) =>
        Duck.Rows($"SELECT {aggregate} FROM read_parquet($files)", ("files", keys.Select(k => _store.LocalFileOf(ObjectKey.Parse(k))!).ToList())).Single()[0]!;

    public void Dispose()
    {
        _dropped.Dispose();
        _root.Dispose();
    }
}
