using Meridian.Analytics.Lake;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Maintenance;

/// <summary>What a prune deleted (or, dry, would delete): the files of the hours before <paramref name="Before"/>; null when events are kept for ever.</summary>
internal sealed record PruneResult(DateTime? Before, int FilesDeleted, long Bytes);

/// <summary>
/// Deletes the hours that ended more than <c>Analytics:RetentionDays</c> ago, whole. At least a day, so the hours being
/// written are never touched; only keys of the lake's layout are deleted (whatever else lies under it is not ours).
/// Deleting a file twice is deleting it once: any number of processes may prune at once.
/// </summary>
internal sealed partial class LakeRetention(IObjectStore store, MeridianOptions options, TimeProvider time, ILogger<LakeRetention> logger)
{
    public async Task<PruneResult> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        if (options.Analytics.RetentionDays == 0) return new PruneResult(null, 0, 0);
        // An hour that starts before this one ended at most at its start, which is RetentionDays or more ago.
        var before = LakeLayout.HourStart(time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Analytics.RetentionDays));
        var expired = new List<ObjectInfo>();
        await foreach (var info in store.ListAsync(LakeLayout.Root, cancellationToken))
        {
            if (LakeLayout.HourOf(info.Key) is not { } hour) continue;
            if (hour >= before) break; // keys sort by hour: the rest are younger
            expired.Add(info);
        }
        var deleted = 0;
        long bytes = 0;
        foreach (var info in expired)
        {
            if (!dryRun && !await store.DeleteAsync(info.Key, cancellationToken)) continue; // another process's prune was first
            deleted++;
            bytes += info.Size;
        }
        if (deleted > 0 && !dryRun) LogPruned(deleted, LakeLayout.DayPrefix(before), options.Analytics.RetentionDays);
        return new PruneResult(before, deleted, bytes);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics: deleted {Count} event files older than {Before} (Analytics:RetentionDays={Days})")]
    private partial void LogPruned(int count, string before, int days);
}
