using Meridian.Storage.Objects;
using Parquet;

namespace Meridian.Analytics.Lake;

/// <summary>One file of an hour as the compaction rules see it: its key, its date, and the names it covers when it is a compacted file.</summary>
internal sealed record HourFile<T>(T File, ObjectKey Key, DateTimeOffset LastModified, IReadOnlySet<string>? Covers);

/// <summary>What a reader counts of an hour's files, and the files left out because a counted compacted file holds their events.</summary>
internal sealed record HourView<T>(IReadOnlyList<HourFile<T>> Counted, IReadOnlyList<(HourFile<T> File, HourFile<T> By)> Superseded);

/// <summary>
/// How a compacted file says which files it replaces: their names, in its own Parquet footer (key-value metadata
/// <see cref="CoversKey"/>), so that the claim and the rows arrive in one write. A compacted file of compacted files covers
/// what they covered too. The inputs stay until their compacted file is old enough (<see cref="Maintenance.LakeCompactor.Grace"/>); until
/// then a reader sees both and counts the compacted file only (<see cref="Resolve{T}"/>).
/// </summary>
internal static class CompactedFile
{
    public const string CoversKey = "meridian.covers";

    /// <summary>The names a compacted file covers, or null when its footer claims none (then it is counted as any other file).</summary>
    public static async Task<IReadOnlySet<string>?> CoversAsync(string path, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken);
        if (!reader.CustomMetadata.TryGetValue(CoversKey, out var text)) return null;
        var names = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return names.Count == 0 ? null : names;
    }

    public static string Format(IEnumerable<string> names) => string.Join('\n', names.Order(StringComparer.Ordinal));

    /// <summary>
    /// What of one hour's files a reader counts: the compacted files, largest first, that cover nothing another counted
    /// one covers (one within a larger one is superseded by it), and every other file no counted compacted file names.
    /// Compactors only ever merge what they see, and inputs go only once covered, so the covered sets of an hour nest;
    /// a compacted file that overlaps a larger one without lying within it would break that, and is left out rather
    /// than counted twice.
    /// </summary>
    public static HourView<T> Resolve<T>(IReadOnlyList<HourFile<T>> files)
    {
        var counted = new List<HourFile<T>>();
        var superseded = new List<(HourFile<T>, HourFile<T>)>();
        var compacted = new List<HourFile<T>>();
        foreach (var file in files.Where(f => f.Covers is not null).OrderByDescending(f => f.Covers!.Count).ThenBy(f => f.Key.Value, StringComparer.Ordinal))
        {
            if (compacted.FirstOrDefault(c => file.Covers!.IsSubsetOf(c.Covers!)) is { } by) superseded.Add((file, by));
            else if (compacted.All(c => !file.Covers!.Overlaps(c.Covers!))) compacted.Add(file);
        }
        counted.AddRange(compacted);
        foreach (var file in files.Where(f => f.Covers is null))
        {
            var name = LakeLayout.FileName(file.Key);
            if (compacted.FirstOrDefault(c => c.Covers!.Contains(name)) is { } by) superseded.Add((file, by));
            else counted.Add(file);
        }
        return new HourView<T>(counted, superseded);
    }
}
