using Meridian.Hosting.Configuration;
using Meridian.Ingestion.Api;
using Meridian.Storage.Objects;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Meridian.Ingestion.Tests.Api;

public sealed class AbandonedUploadSweeperTests : IDisposable
{
    private static readonly ObjectKey Key = ObjectKey.Parse("raw/2026/11/30/file.geojson");
    private readonly TempDirectory _root = new();
    private readonly ObjectUploads _uploads;

    public AbandonedUploadSweeperTests() => _uploads = new ObjectUploads(new LocalObjectStore(_root.Path));

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Drops_uploads_untouched_for_the_expiry_at_start_and_every_hour()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new MeridianOptions { Ingest = { AbandonedUploadsExpireAfter = TimeSpan.FromDays(1) } };
        using var sweeper = new AbandonedUploadSweeper(new LocalObjectStore(_root.Path), options, time, NullLogger<AbandonedUploadSweeper>.Instance);
        var abandoned = await StartUploadAsync(lastTouched: time.GetUtcNow().AddDays(-2));
        var recent = await StartUploadAsync(lastTouched: time.GetUtcNow());

        await sweeper.StartAsync(CancellationToken.None);
        var droppedAtStart = await GoneAsync(abandoned);
        var abandonedLater = await StartUploadAsync(lastTouched: time.GetUtcNow().AddDays(-2));
        time.Advance(TimeSpan.FromHours(1));
        var droppedAnHourLater = await GoneAsync(abandonedLater);
        var recentKept = await _uploads.FindTargetAsync(recent, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        var recentDroppedADayLater = await GoneAsync(recent);
        await sweeper.StopAsync(CancellationToken.None);

        Assert.True(droppedAtStart);
        Assert.True(droppedAnHourLater);
        Assert.NotNull(recentKept);
        Assert.True(recentDroppedADayLater);
    }

    /// <summary>An upload with one part, its entries dated as last touched then (the local store dates them by file time).</summary>
    private async Task<string> StartUploadAsync(DateTimeOffset lastTouched)
    {
        var uploadId = await _uploads.StartAsync(Key, CancellationToken.None);
        await _uploads.UploadPartAsync(Key, uploadId, 1, new MemoryStream([1]), CancellationToken.None);
        foreach (var file in Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories).Where(f => f.Contains(uploadId, StringComparison.Ordinal)))
            File.SetLastWriteTimeUtc(file, lastTouched.UtcDateTime);
        return uploadId;
    }

    /// <summary>Whether the upload is gone, waiting (boundedly) for the sweep a tick started on its own task.</summary>
    private async Task<bool> GoneAsync(string uploadId)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await _uploads.FindTargetAsync(uploadId, CancellationToken.None) is null) return true;
            await Task.Delay(25);
        }
        return false;
    }
}
