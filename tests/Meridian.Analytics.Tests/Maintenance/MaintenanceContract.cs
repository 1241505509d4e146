using Meridian.Analytics.Lake;
using Meridian.Analytics.Maintenance;
using Meridian.Analytics.Querying;
using Meridian.Analytics.Writing;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Analytics.Tests.Maintenance;

/// <summary>
/// Compaction and retention on a real object store, with the real writer's files, read back by the real reports: the same
/// cases for every adapter. The clock is the store's (its dates say when a compacted file was written), moved on by hand.
/// </summary>
public abstract class MaintenanceContract : IAsyncLifetime
{
    private readonly TempDirectory _work = new();
    private readonly DroppedEvents _meters = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly MeridianOptions _options;
    private IObjectStore _store = null!;

    protected MaintenanceContract() => _options = new MeridianOptions { Data = _work.Path, Analytics = { RetentionDays = 1 } };

    protected abstract Task<IObjectStore> CreateStoreAsync(string workDirectory);

    /// <summary>The folder of a store that keeps objects as files, where pruned hours must leave no empty folders; null for others.</summary>
    protected virtual string? ObjectFolder(string workDirectory) => null;

    public async Task InitializeAsync() => _store = await CreateStoreAsync(_work.Path);

    [Fact]
    public async Task Compact_ClosedHours_BecomeOneFileEachAndCountTheSame()
    {
        await WriteAsync(Hour(3), "a-1", 10, 10, 10);
        await WriteAsync(Hour(3), "b-1", 5, 5);
        await WriteAsync(Hour(2), "a-1", 7, 7);
        Assert.Equal((54L, 7), await CountAsync());

        var first = await Compactor().RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(new CompactionResult(2, 7, first.BytesWritten, 0), first);
        Assert.Equal(9, (await _store.LakeKeysAsync()).Count); // the inputs stay beside their compacted file for a while
        Assert.Equal((54L, 2), await CountAsync());

        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        var second = await Compactor().RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(new CompactionResult(0, 0, 0, 7), second);
        var keys = await _store.LakeKeysAsync();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.True(LakeLayout.IsCompacted(ObjectKey.Parse(k))));
        Assert.Equal((54L, 2), await CountAsync());
    }

    [Fact]
    public async Task Compact_DryRun_ChangesNothing()
    {
        await WriteAsync(Hour(3), "a-1", 10, 10);

        var dry = await Compactor().RunAsync(dryRun: true, CancellationToken.None);

        Assert.Equal(new CompactionResult(1, 2, 0, 0), dry);
        Assert.Equal(2, (await _store.LakeKeysAsync()).Count);
    }

    [Fact]
    public async Task Compact_HoursNotClosed_AreLeftAlone()
    {
        _options.Analytics.CompactAfterMinutes = 90;
        await WriteAsync(Hour(0), "a-1", 1, 1);
        await WriteAsync(Hour(1), "a-1", 1, 1); // ended less than 90 minutes ago, whatever the minute now
        await WriteAsync(Hour(3), "a-1", 1, 1);

        var result = await Compactor().RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(1, result.HoursCompacted);
        var keys = await _store.LakeKeysAsync();
        Assert.Single(keys, k => LakeLayout.IsCompacted(ObjectKey.Parse(k)));
        Assert.Contains(LakeLayout.HourPrefix(Hour(3)), keys.Single(k => LakeLayout.IsCompacted(ObjectKey.Parse(k))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_TwoCompactorsAtOnce_CountEveryEventOnce()
    {
        await WriteAsync(Hour(3), "a-1", 3, 4, 5);
        await WriteAsync(Hour(3), "b-1", 6);

        await Task.WhenAll(Compactor().RunAsync(false, CancellationToken.None), Compactor().RunAsync(false, CancellationToken.None));

        Assert.Equal((18L, 1), await CountAsync());
        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        await Task.WhenAll(Compactor().RunAsync(false, CancellationToken.None), Compactor().RunAsync(false, CancellationToken.None));
        Assert.Single(await _store.LakeKeysAsync());
        Assert.Equal((18L, 1), await CountAsync());
    }

    [Fact]
    public async Task Report_WhileCompacting_NeverCountsAnEventTwiceNorMissesOne()
    {
        for (var i = 0; i < 6; i++) await WriteAsync(Hour(3 + i % 2), $"p{i}-1", 3, 4, 5);
        var expected = (await CountAsync()).Events;
        Assert.Equal(72L, expected);

        // Reports start before, during and after the merged files are written, then while the inputs are deleted.
        var counts = await ReportWhileAsync(() => Compactor().RunAsync(false, CancellationToken.None));
        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        counts.AddRange(await ReportWhileAsync(() => Compactor().RunAsync(false, CancellationToken.None)));

        Assert.All(counts, c => Assert.Equal(expected, c));
        Assert.Equal(2, (await _store.LakeKeysAsync()).Count);
    }

    [Fact]
    public async Task Compact_StoppedAfterWritingTheMergedFile_NoEventCountedTwiceAndTheNextRunCleansUp()
    {
        await WriteAsync(Hour(3), "a-1", 10, 20, 30);
        await Compactor().RunAsync(false, CancellationToken.None);
        // A run cut off half way through its deletions: one input gone, the others and the merged file there.
        var inputs = (await _store.LakeKeysAsync()).Where(k => !LakeLayout.IsCompacted(ObjectKey.Parse(k))).ToList();
        await _store.DeleteAsync(ObjectKey.Parse(inputs[0]), CancellationToken.None);

        Assert.Equal((60L, 1), await CountAsync());

        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        var cleanup = await Compactor().RunAsync(false, CancellationToken.None);
        Assert.Equal(2, cleanup.FilesDeleted);
        Assert.Single(await _store.LakeKeysAsync());
        Assert.Equal((60L, 1), await CountAsync());
    }

    [Fact]
    public async Task Compact_FileArrivingLateInACompactedHour_IsCountedThenMergedWithIt()
    {
        await WriteAsync(Hour(3), "a-1", 10, 10);
        await Compactor().RunAsync(false, CancellationToken.None);
        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        await Compactor().RunAsync(false, CancellationToken.None);
        var first = Assert.Single(await _store.LakeKeysAsync());

        await WriteAsync(Hour(3), "late-1", 5); // a writer that was cut off from the store
        Assert.Equal((25L, 2), await CountAsync());
        await Compactor().RunAsync(false, CancellationToken.None);
        Assert.Equal((25L, 1), await CountAsync());
        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        await Compactor().RunAsync(false, CancellationToken.None);

        var last = Assert.Single(await _store.LakeKeysAsync());
        Assert.NotEqual(first, last);
        Assert.Equal((25L, 1), await CountAsync());
    }

    [Fact]
    public async Task Compact_DamagedAndForeignFiles_AreLeftWhereTheyAreAndSkippedByReports()
    {
        await WriteAsync(Hour(3), "a-1", 10, 10);
        var damaged = LakeLayout.HourPrefix(Hour(3)) + "damaged-1-a.parquet";
        await _store.PutAsync(damaged, await HostileFiles.CorruptPagesAsync(Hour(3).AddMinutes(5)));
        var garbage = LakeLayout.HourPrefix(Hour(3)) + "garbage-1-a.parquet";
        await _store.PutAsync(garbage, HostileFiles.Garbage);

        var result = await Compactor().RunAsync(false, CancellationToken.None);
        _time.Advance(LakeCompactor.Grace + TimeSpan.FromMinutes(1));
        await Compactor().RunAsync(false, CancellationToken.None);

        Assert.Equal(2, result.FilesMerged);
        var keys = await _store.LakeKeysAsync();
        Assert.Equal(3, keys.Count);
        Assert.Contains(damaged, keys);
        Assert.Contains(garbage, keys);
        var report = await AskAsync();
        Assert.Equal([damaged, garbage], report.SkippedFiles.Order(StringComparer.Ordinal));
        Assert.Equal(20L, Assert.Single(report.Rows)["requests"]);
    }

    [Fact]
    public async Task Prune_HoursPastRetention_AreDeletedAndNothingElse()
    {
        var lastKept = LakeLayout.HourStart(_time.GetUtcNow().UtcDateTime.AddDays(-1));
        await WriteAsync(lastKept.AddHours(-1), "a-1", 2, 3);
        await WriteAsync(lastKept, "a-1", 4);
        await WriteAsync(Hour(0), "a-1", 5);
        var foreign = LakeLayout.HourPrefix(lastKept.AddHours(-1)) + "notes.txt";
        await _store.PutAsync(foreign, "not ours"u8.ToArray());

        var dry = await Retention().RunAsync(dryRun: true, CancellationToken.None);
        Assert.Equal(new PruneResult(lastKept, 2, dry.Bytes), dry);
        Assert.Equal(5, (await _store.LakeKeysAsync()).Count);

        var pruned = await Retention().RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(dry, pruned);
        var keys = await _store.LakeKeysAsync();
        Assert.Equal(3, keys.Count);
        Assert.Contains(foreign, keys);
        Assert.DoesNotContain(keys, k => k.StartsWith(LakeLayout.HourPrefix(lastKept.AddHours(-1)), StringComparison.Ordinal) && k != foreign);
        AssertNoEmptyFolders();
    }

    [Fact]
    public async Task Prune_TwoAtOnce_DeleteEveryFile()
    {
        var expired = LakeLayout.HourStart(_time.GetUtcNow().UtcDateTime.AddDays(-3));
        await WriteAsync(expired, "a-1", 1, 1, 1);
        await WriteAsync(expired.AddHours(5), "b-1", 1, 1);

        var both = await Task.WhenAll(Retention().RunAsync(false, CancellationToken.None), Retention().RunAsync(false, CancellationToken.None));

        // Neither fails on what the other deleted; S3 answers a delete of a missing key as a success, so the counts may overlap.
        Assert.All(both, r => Assert.InRange(r.FilesDeleted, 0, 5));
        Assert.InRange(both.Sum(r => r.FilesDeleted), 5, 10);
        Assert.Empty(await _store.LakeKeysAsync());
        AssertNoEmptyFolders();
    }

    [Fact]
    public async Task Prune_RetentionZero_KeepsEverything()
    {
        _options.Analytics.RetentionDays = 0;
        await WriteAsync(LakeLayout.HourStart(_time.GetUtcNow().UtcDateTime.AddDays(-400)), "a-1", 1);

        Assert.Equal(new PruneResult(null, 0, 0), await Retention().RunAsync(false, CancellationToken.None));
        Assert.Single(await _store.LakeKeysAsync());
    }

    /// <summary>Pruned hours leave no folders behind on a local store (its temporary folder aside, which is not the lake's).</summary>
    private void AssertNoEmptyFolders()
    {
        if (ObjectFolder(_work.Path) is not { } root) return;
        var empty = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            .Where(d => Path.GetFileName(d) != ".tmp" && !Directory.EnumerateFileSystemEntries(d).Any());
        Assert.Empty(empty);
    }

    /// <summary>The start of the hour <paramref name="hoursAgo"/> hours before the current one.</summary>
    private DateTime Hour(int hoursAgo) => LakeLayout.HourStart(_time.GetUtcNow().UtcDateTime).AddHours(-hoursAgo);

    /// <summary>One file per count, each of that many requests in <paramref name="hour"/>, written by process <paramref name="instance"/>.</summary>
    private async Task WriteAsync(DateTime hour, string instance, params int[] files)
    {
        var events = new AnalyticsEvents(_options, _meters.Factory);
        using var writer = new AnalyticsWriter(events, _store, _options, _meters.Factory, _time, new TestLogger<AnalyticsWriter>()) { Instance = instance };
        foreach (var count in files)
        {
            for (var i = 0; i < count; i++) events.Record(Events.Request(hour.AddMinutes(i % 60), "/a", 200));
            Assert.Equal(count, await writer.FlushAsync(CancellationToken.None));
        }
    }

    private LakeCompactor Compactor()
    {
        var cache = new LakeCache(Path.Combine(_work.Path, "cache-" + Guid.NewGuid().ToString("N")), 1L << 30);
        return new LakeCompactor(_store, Lake(cache), cache, _options, _time, new TestLogger<LakeCompactor>());
    }

    private LakeRetention Retention() => new(_store, _options, _time, new TestLogger<LakeRetention>());

    private LakeFiles Lake(LakeCache cache) => new(_store, cache, new EventFileCheck(), new TestLogger<LakeFiles>());

    /// <summary>Requests counted over the last two days, and the files read for them.</summary>
    private async Task<(long Events, int Files)> CountAsync()
    {
        var report = await AskAsync();
        return (report.Rows.Count == 0 ? 0 : (long)report.Rows[0]["requests"]!, report.FilesRead);
    }

    private Task<ReportDocument> AskAsync()
    {
        var cache = new LakeCache(Path.Combine(_work.Path, "report-cache"), 1L << 30);
        var check = new EventFileCheck();
        var reports = new ReportService(new LakeFiles(_store, cache, check, new TestLogger<LakeFiles>()), new DuckDbReports(check, new TestLogger<DuckDbReports>()),
            _options, _time);
        var context = new DefaultHttpContext();
        var to = LakeLayout.HourStart(_time.GetUtcNow().UtcDateTime).AddHours(1);
        context.Request.QueryString = new QueryString($"?from={AnalyticsQuery.Iso(to.AddDays(-2))}&to={AnalyticsQuery.Iso(to)}");
        return reports.AnswerAsync(AnalyticsReport.Requests, context.Request, CancellationToken.None);
    }

    /// <summary>Asks the report again and again while <paramref name="work"/> runs (and once after); the counts.</summary>
    private async Task<List<long>> ReportWhileAsync(Func<Task> work)
    {
        var counts = new List<long>();
        var running = work();
        do
        {
            counts.Add((await CountAsync()).Events);
        }
        while (!running.IsCompleted);
        await running;
        counts.Add((await CountAsync()).Events);
        return counts;
    }

    public Task DisposeAsync()
    {
        (_store as IDisposable)?.Dispose();
        _meters.Dispose();
        _work.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class LocalMaintenanceTests : MaintenanceContract
{
    protected override Task<IObjectStore> CreateStoreAsync(string workDirectory) => Task.FromResult(TestStores.Local(workDirectory));

    protected override string? ObjectFolder(string workDirectory) => TestStores.LocalFolder(workDirectory);
}

public sealed class EncryptedLocalMaintenanceTests : MaintenanceContract
{
    protected override Task<IObjectStore> CreateStoreAsync(string workDirectory) => Task.FromResult(TestStores.EncryptedLocal(workDirectory));

    protected override string? ObjectFolder(string workDirectory) => TestStores.LocalFolder(workDirectory);
}

public sealed class S3MaintenanceTests : MaintenanceContract
{
    private readonly S3TestBucket _bucket = new();

    protected override Task<IObjectStore> CreateStoreAsync(string workDirectory) => TestStores.S3Async(_bucket);
}
