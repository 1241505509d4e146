using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Ingestion.Api;

/// <summary>
/// Drops the uploads in parts their clients abandoned (<see cref="IngestOptions.AbandonedUploadsExpireAfter"/>),
/// when the server starts and every hour after. Every replica of the ingest role sweeps the one store; dropping an
/// upload twice is harmless.
/// </summary>
internal sealed partial class AbandonedUploadSweeper(IObjectStore store, MeridianOptions options, TimeProvider time,
    ILogger<AbandonedUploadSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await SweepAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var expireAfter = options.Ingest.AbandonedUploadsExpireAfter;
        try
        {
            var dropped = await new ObjectUploads(store).ExpireAsync(time.GetUtcNow() - expireAfter, cancellationToken);
            if (dropped > 0) Log.Dropped(logger, dropped, expireAfter);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that is down now is tried again at the next sweep; the server carries on meanwhile.
            Log.Failed(logger, store.Name, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Dropped {Count} uploads in parts untouched for {ExpireAfter}.")]
        public static partial void Dropped(ILogger logger, int count, TimeSpan expireAfter);

        [LoggerMessage(2, LogLevel.Warning, "Could not sweep abandoned uploads in {Store}; trying again in an hour.")]
        public static partial void Failed(ILogger logger, string store, Exception exception);
    }
}
