using DuckDB.NET.Data;
using Meridian.Analytics.Lake;
using Meridian.Analytics.Querying;
using Meridian.Hosting.Configuration;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Maintenance;

/// <summary>What a compaction did (or, dry, would do).</summary>
internal sealed record CompactionResult(int HoursCompacted, int FilesMerged, long BytesWritten, int FilesDeleted);

/// <summary>
/// Merges each closed hour's files (every process's flushes) into one, so that a report opens an hour once rather than
/// once per flush. An hour is closed <c>Analytics:CompactAfterMinutes</c> after its end. The merged file is written
/// whole, under a name made from what it covers (<see cref="CompactedFile"/>), before anything is deleted; its inputs
/// are deleted by a later run, once it has been in the store for <see cref="Grace"/>, so that a report that listed the
/// inputs just before still finds them. Every step is idempotent: two compactors at once write the same file (or one
/// that covers the other's), and a run that stopped half way leaves inputs the next run deletes. A file that arrives
/// late in a compacted hour (a writer that was cut off from the store) is merged by the next run with the compacted file.
/// </summary>
internal sealed partial class LakeCompactor(IObjectStore store, LakeFiles lake, LakeCache cache, MeridianOptions options, TimeProvider time,
    ILogger<LakeCompactor> logger)
{
    /// <summary>How long a compacted file stands beside its inputs: longer than any report takes to list and read an hour.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    public async Task<CompactionResult> RunAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var closed = LakeLayout.HourStart(now.UtcDateTime - TimeSpan.FromMinutes(options.Analytics.CompactAfterMinutes));
        var hours = new List<List<ObjectInfo>>();
        await foreach (var info in store.ListAsync(LakeLayout.Root, cancellationToken))
        {
            // Keys sort by hour (zero-padded partitions): past the first open hour there is nothing more to compact.
            if (LakeLayout.HourOf(info.Key) is not { } hour) continue;
            if (hour >= closed) break;
            if (hours.Count == 0 || LakeLayout.HourOf(hours[^1][0].Key) != hour) hours.Add([]);
            hours[^1].Add(info);
        }
        var result = new CompactionResult(0, 0, 0, 0);
        foreach (var listed in hours.Where(h => h.Count > 1))
        {
            try
            {
                result = Add(result, await CompactHourAsync(LakeLayout.HourOf(listed[0].Key)!.Value, listed, now, dryRun, cancellationToken));
            }
            catch (Exception e) when (e is ObjectNotFoundException or FileNotFoundException or DuckDBException)
            {
                // An input deleted under us (another compactor's run), or one DuckDB cannot merge: the next run sees again.
                LogHourFailed(LakeLayout.HourPrefix(LakeLayout.HourOf(listed[0].Key)!.Value), e.Message);
            }
        }
        return result;
    }

    private async Task<CompactionResult> CompactHourAsync(DateTime hour, List<ObjectInfo> listed, DateTimeOffset now, bool dryRun,
        CancellationToken cancellationToken)
    {
        var view = await lake.OpenHourAsync(listed, [], cancellationToken);
        var deleted = 0;
        foreach (var (file, _) in view.Superseded.Where(s => s.By.LastModified <= now - Grace))
        {
            if (dryRun || await store.DeleteAsync(file.Key, cancellationToken)) deleted++;
        }
        var inputs = view.Counted.ToList();
        if (inputs.Count < 2) return new CompactionResult(0, 0, 0, deleted);
        if (dryRun) return new CompactionResult(1, inputs.Count, 0, deleted);
        var output = cache.TemporaryPath();
        try
        {
            try
            {
                await Task.Run(() => Merge(inputs, output), cancellationToken);
            }
            catch (DuckDBException)
            {
                // A file with damaged pages (its footer passed the check): left where it is, for reports to skip; the rest merged.
                inputs = inputs.Where(f => LakeDuckDb.ReadsWhole(f.File.Path)).ToList();
                if (inputs.Count == view.Counted.Count) throw;
                if (File.Exists(output)) File.Delete(output);
                if (inputs.Count < 2) return new CompactionResult(0, 0, 0, deleted);
                await Task.Run(() => Merge(inputs, output), cancellationToken);
            }
            var key = LakeLayout.CompactedFileKey(hour, Covered(inputs));
            await using (var merged = File.OpenRead(output))
            {
                await store.PutAsync(key, merged, cancellationToken);
            }
            var bytes = new FileInfo(output).Length;
            LogCompacted(key.Value, inputs.Count, bytes);
            return new CompactionResult(1, inputs.Count, bytes, deleted);
        }
        finally
        {
            if (File.Exists(output)) File.Delete(output);
        }
    }

    /// <summary>The names the merge of <paramref name="inputs"/> covers: theirs, and those the compacted ones among them covered.</summary>
    private static HashSet<string> Covered(IEnumerable<HourFile<LakeFile>> inputs) =>
        inputs.SelectMany(f => (f.Covers ?? Enumerable.Empty<string>()).Append(LakeLayout.FileName(f.Key))).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// One Parquet file of every row of the inputs, by time (row groups then prune well on a time filter), with the names it
    /// covers in its footer, written by a DuckDB locked down to those files. COPY takes no parameters: the paths are ours
    /// and the names of the layout's pattern, quoted as literals.
    /// </summary>
    private static void Merge(List<HourFile<LakeFile>> inputs, string output)
    {
        using var connection = LakeDuckDb.Open(inputs.Select(f => f.File.Path).Append(output));
        var files = string.Join(", ", inputs.Select(f => LakeDuckDb.Literal(f.File.Path)));
        var covers = LakeDuckDb.Literal(CompactedFile.Format(Covered(inputs)));
        var metadata = "{" + LakeDuckDb.Literal(CompactedFile.CoversKey) + ": " + covers + "}";
        LakeDuckDb.Execute(connection, $"""
            COPY (SELECT * FROM read_parquet([{files}], union_by_name = true) ORDER BY time)
            TO {LakeDuckDb.Literal(output)} (FORMAT parquet, COMPRESSION snappy, USE_TMP_FILE false, KV_METADATA {metadata})
            """);
    }

    private static CompactionResult Add(CompactionResult a, CompactionResult b) =>
        new(a.HoursCompacted + b.HoursCompacted, a.FilesMerged + b.FilesMerged, a.BytesWritten + b.BytesWritten, a.FilesDeleted + b.FilesDeleted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics: compacted {Count} files into {Key} ({Bytes} bytes)")]
    private partial void LogCompacted(string key, int count, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: {Hour} is not compacted this time: {Error}")]
    private partial void LogHourFailed(string hour, string error);
}
