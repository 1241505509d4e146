using Meridian.Analytics.Lake;
using Meridian.Analytics.Writing;
using Meridian.Gateway.Tests.Cli;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;

namespace Meridian.Analytics.Tests.Cli;

/// <summary><c>meridian analytics compact|prune</c> on a data directory, as an operator runs them.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class AnalyticsCommandTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly DroppedEvents _meters = new();

    [Fact]
    public async Task Compact_ClosedHour_MergesItsFiles()
    {
        var hour = LakeLayout.HourStart(DateTime.UtcNow).AddHours(-3);
        await WriteAsync(hour, 2);

        var dry = await CliRun.RunAsync("analytics", "compact", "--data", _data.Path, "--dry-run");
        Assert.Equal((0, "would merge 2 files of 1 hours and delete 0 files merged before\n"), (dry.Exit, dry.Out));
        Assert.Equal(2, (await Store.LakeKeysAsync()).Count);

        var run = await CliRun.RunAsync("analytics", "compact", "--data", _data.Path);

        Assert.Equal(0, run.Exit);
        Assert.StartsWith("merged 2 files of 1 hours (", run.Out, StringComparison.Ordinal);
        Assert.Single(await Store.LakeKeysAsync(), k => LakeLayout.IsCompacted(ObjectKey.Parse(k)));
    }

    [Fact]
    public async Task Prune_ExpiredHours_AreDeletedWithTheServeSettings()
    {
        await WriteAsync(LakeLayout.HourStart(DateTime.UtcNow).AddDays(-3), 1);

        var dry = await CliRun.RunAsync("analytics", "prune", "--data", _data.Path, "--set", "Analytics:RetentionDays=1", "--dry-run");
        Assert.Equal(0, dry.Exit);
        Assert.StartsWith("would delete 1 files (", dry.Out, StringComparison.Ordinal);
        Assert.Single(await Store.LakeKeysAsync());

        var kept = await CliRun.RunAsync("analytics", "prune", "--data", _data.Path); // the default, 90 days
        Assert.StartsWith("deleted 0 files", kept.Out, StringComparison.Ordinal);

        var run = await CliRun.RunAsync("analytics", "prune", "--data", _data.Path, "--set", "Analytics:RetentionDays=1");
        Assert.Equal(0, run.Exit);
        Assert.StartsWith("deleted 1 files (", run.Out, StringComparison.Ordinal);
        Assert.Empty(await Store.LakeKeysAsync());
    }

    [Fact]
    public async Task Prune_RetentionZero_SaysEventsAreKept()
    {
        var run = await CliRun.RunAsync("analytics", "prune", "--data", _data.Path, "--set", "Analytics:RetentionDays=0");

        Assert.Equal((0, "Analytics:RetentionDays is 0: events are kept for ever, nothing deleted\n"), (run.Exit, run.Out));
    }

    [Theory]
    [InlineData("Analytics:RetentionDays=-1", "RetentionDays")]
    [InlineData("Analytics:CompactAfterMinutes=0", "CompactAfterMinutes")]
    [InlineData("Analytics:MaintenanceMinutes=abc", "MaintenanceMinutes")]
    public async Task Verbs_BadSetting_ExitTwoNamingIt(string setting, string name)
    {
        var run = await CliRun.RunAsync("analytics", "prune", "--data", _data.Path, "--set", setting);

        Assert.Equal(2, run.Exit);
        Assert.Contains(name, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("compact --bogus", "--bogus")]
    [InlineData("prune extra", "extra")]
    public async Task Verbs_MalformedCommandLine_FailNamingTheWordAndTouchNothing(string words, string named)
    {
        var hour = LakeLayout.HourStart(DateTime.UtcNow).AddDays(-200);
        await WriteAsync(hour, 2);

        var run = await CliRun.RunAsync(["analytics", .. words.Split(' '), "--data", _data.Path]);

        Assert.NotEqual(0, run.Exit);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await Store.LakeKeysAsync()).Count);
    }

    [Fact]
    public async Task Compact_HourClosedBeforeTheWritersLastFlush_IsARefusedSetting()
    {
        var run = await CliRun.RunAsync("analytics", "compact", "--data", _data.Path, "--set", "Analytics:FlushSeconds=3600", "--set",
            "Analytics:CompactAfterMinutes=30");

        Assert.Equal(2, run.Exit);
        Assert.Contains("CompactAfterMinutes", run.Error, StringComparison.Ordinal);
    }

    private LocalObjectStore Store => new(Path.Combine(_data.Path, "objects"));

    private async Task WriteAsync(DateTime hour, int files)
    {
        var options = new MeridianOptions { Data = _data.Path };
        var events = new AnalyticsEvents(options, _meters.Factory);
        using var writer = new AnalyticsWriter(events, Store, options, _meters.Factory, TimeProvider.System, new TestLogger<AnalyticsWriter>()) { Instance = "cli-1" };
        for (var i = 0; i < files; i++)
        {
            events.Record(Events.Request(hour.AddMinutes(i), "/a", 200));
            await writer.FlushAsync(CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _meters.Dispose();
        _data.Dispose();
    }
}
