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
/// is not an events file is skipped and logged (once per file), never a reason to fail the query.
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
            await foreach (var info in store.ListAsync(LakeLayout.DayPrefix(day), cancellationToken))
            {
                if (LakeLayout.HourOf(info.Key) is not { } hour)
                {
                    Skip(skipped, info.Key, "its name is not one the analytics writer gives");
                    continue;
                }
                if (hour.AddHours(1) <= from || hour >= to) continue;
                var path = (store as ILocalObjectFiles)?.LocalFileOf(info.Key) ?? await cache.GetAsync(store, info, cancellationToken);
                if (path is null) continue; // deleted since it was listed (compaction): its events are in another file
                var identity = $"{path}\n{info.Size}";
                string? problem;
                try
                {
                    problem = await check.ProblemAsync(path, identity, cancellationToken);
                }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    continue;
                }
                if (problem is null) files.Add(new LakeFile(info.Key, path, identity));
                else Skip(skipped, info.Key, problem);
            }
        }
        cache.Trim();
        return new LakeSelection(files, skipped);
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
