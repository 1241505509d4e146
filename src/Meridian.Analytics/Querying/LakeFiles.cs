using Meridian.Analytics.Lake;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Querying;

/// <summary>A lake file ready for DuckDB: its key, the local path to read, and what names this version of it for <see cref="EventFileCheck"/>.</summary>
internal sealed record LakeFile(ObjectKey Key, string Path, string Identity);

/// <summary>The files a query reads, and the keys of those left out because they cannot be read as events.</summary>
internal sealed record LakeSelection(IReadOnlyList<LakeFile> Files, IReadOnlyList<string> Skipped);

/// <summary>
/// Partition pruning: lists only the day prefixes an interval touches, keeps the files of the hours that overlap it,
/// and gives each a local path — in place for the local store, else a cached copy (<see cref="LakeCache"/>). A file that
/// is not an events file is skipped and logged (once per file), never a reason to fail the query. Of an hour being
/// compacted, the compacted file is read and not the files it covers (<see cref="CompactedFile"/>).
/// </summary>
internal sealed partial class LakeFiles(IObjectStore store, LakeCache cache, EventFileCheck check, ILogger<LakeFiles> logger)
{
    public async Task<LakeSelection> SelectAsync(DateTime from, DateTime to, CancellationToken cancellationToken)
    {
        var files = new List<LakeFile>();
        var skipped = new List<string>();
        // Counted rather than stepped until `to`: the day after 9999-12-31 is not a DateTime.
        var days = (int)Math.Ceiling((to - from.Date).TotalDays);
        foreach (var day in Enumerable.Range(0, days).Select(i => from.Date.AddDays(i)))
        {
            var listed = new List<ObjectInfo>();
            await foreach (var info in store.ListAsync(LakeLayout.DayPrefix(day), cancellationToken))
            {
                if (LakeLayout.HourOf(info.Key) is not { } hour)
                {
                    Skip(skipped, info.Key, "its name is not one the analytics writer gives");
                    continue;
                }
                if (hour.AddHours(1) > from && hour < to) listed.Add(info);
            }
            foreach (var hour in listed.GroupBy(i => LakeLayout.HourOf(i.Key)))
            {
                var view = await OpenHourAsync(hour.ToList(), skipped, cancellationToken);
                files.AddRange(view.Counted.Select(f => f.File));
            }
        }
        cache.Trim();
        return new LakeSelection(files, skipped);
    }

    /// <summary>
    /// One hour's listed files, each checked and given a local path, sorted into what a reader counts and what compacted
    /// files supersede. Those that are not events files go to <paramref name="skipped"/>. A file deleted since it was
    /// listed is left out: inputs go only once their compacted file has been there a while (<see cref="Maintenance.LakeCompactor.Grace"/>),
    /// so this listing holds that file too.
    /// </summary>
    public async Task<HourView<LakeFile>> OpenHourAsync(IReadOnlyList<ObjectInfo> listed, List<string> skipped, CancellationToken cancellationToken)
    {
        var files = new List<HourFile<LakeFile>>();
        foreach (var info in listed)
        {
            var path = (store as ILocalObjectFiles)?.LocalFileOf(info.Key) ?? await cache.GetAsync(store, info, cancellationToken);
            if (path is null) continue;
            var identity = $"{path}\n{info.Size}";
            try
            {
                if (await check.ProblemAsync(path, identity, cancellationToken) is { } problem)
                {
                    Skip(skipped, info.Key, problem);
                    continue;
                }
                // Alone in its hour, a compacted file supersedes nothing: its footer need not be read again.
                var covers = listed.Count > 1 && LakeLayout.IsCompacted(info.Key) ? await CompactedFile.CoversAsync(path, cancellationToken) : null;
                files.Add(new HourFile<LakeFile>(new LakeFile(info.Key, path, identity), info.Key, info.LastModified, covers));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
        }
        return CompactedFile.Resolve(files);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _logged = new(StringComparer.Ordinal);

    private void Skip(List<string> skipped, ObjectKey key, string reason)
    {
        skipped.Add(key.Value);
        if (_logged.Count < 10_000 && _logged.TryAdd(key.Value, true)) LogSkipped(key.Value, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: {Key} in the lake is skipped: {Reason}")]
    private partial void LogSkipped(string key, string reason);
}
