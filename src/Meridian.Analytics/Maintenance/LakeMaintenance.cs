using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Maintenance;

/// <summary>
/// The lake's upkeep in every process that runs the <c>analytics</c> role, every <c>Analytics:MaintenanceMinutes</c>:
/// expired hours deleted, then closed hours compacted. Several replicas may run it at once (each step is idempotent);
/// a random first wait keeps replicas started together from doing the same work at the same moment.
/// </summary>
internal sealed partial class LakeMaintenance(LakeRetention retention, LakeCompactor compactor, MeridianOptions options, TimeProvider time,
    ILogger<LakeMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Analytics.MaintenanceMinutes == 0) return;
        var period = TimeSpan.FromMinutes(options.Analytics.MaintenanceMinutes);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Random.Shared.Next(10, 60)), time, stoppingToken);
            using var timer = new PeriodicTimer(period, time);
            do
            {
                try
                {
                    await retention.RunAsync(dryRun: false, stoppingToken);
                    await compactor.RunAsync(dryRun: false, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The store down, most likely: the next round tries again; reports go on reading what is there.
                    LogFailed(e, period);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: the lake's upkeep (retention, compaction) failed; tried again in {Period}")]
    private partial void LogFailed(Exception exception, TimeSpan period);
}
