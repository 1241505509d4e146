using System.Globalization;
using System.Text.RegularExpressions;
using Meridian.Storage.Objects;

namespace Meridian.Analytics.Lake;

/// <summary>
/// Where events lie in the object store: Hive-style partitions by UTC hour,
/// <c>analytics/events/year=YYYY/month=MM/day=DD/hour=HH/&lt;process&gt;-&lt;unique&gt;.parquet</c>. Every process writes
/// files of its own (its name and a fresh suffix), so processes never coordinate; a reader lists only the hours it needs.
/// A compacted hour's file is <c>_compacted-&lt;hour&gt;-&lt;hash of what it covers&gt;.parquet</c> (<see cref="CompactedFile"/>):
/// no process name starts with '_', and two compactors of the same files name their result alike.
/// </summary>
internal static partial class LakeLayout
{
    public const string Root = "analytics/events/";

    /// <summary>A new file's key for events of the hour that <paramref name="hour"/> falls in.</summary>
    public static ObjectKey NewFileKey(DateTime hour, string process) =>
        ObjectKey.Parse($"{HourPrefix(hour)}{process}-{hour:yyyyMMddTHH}-{Guid.NewGuid():N}.parquet");

    public const string CompactedPrefix = "_compacted-";

    /// <summary>The key of the compacted file of an hour that covers the files named <paramref name="covered"/>.</summary>
    public static ObjectKey CompactedFileKey(DateTime hour, IEnumerable<string> covered)
    {
        var names = string.Join('\n', covered.Order(StringComparer.Ordinal));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(names)))[..32];
        return ObjectKey.Parse($"{HourPrefix(hour)}{CompactedPrefix}{hour:yyyyMMddTHH}-{hash}.parquet");
    }

    /// <summary>The file's name: the last segment of its key, what a compacted file lists of the files it covers.</summary>
    public static string FileName(ObjectKey key) => key.Value[(key.Value.LastIndexOf('/') + 1)..];

    public static bool IsCompacted(ObjectKey key) => FileName(key).StartsWith(CompactedPrefix, StringComparison.Ordinal);

    /// <summary>The start of the UTC hour <paramref name="time"/> falls in.</summary>
    public static DateTime HourStart(DateTime time) => new(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);

    public static string DayPrefix(DateTime day) =>
        string.Create(CultureInfo.InvariantCulture, $"{Root}year={day:yyyy}/month={day:MM}/day={day:dd}/");

    public static string HourPrefix(DateTime hour) => string.Create(CultureInfo.InvariantCulture, $"{DayPrefix(hour)}hour={hour:HH}/");

    /// <summary>The start of the UTC hour a key's partition names, or null for a key that is not an event file of the layout.</summary>
    public static DateTime? HourOf(ObjectKey key)
    {
        var match = FileKey().Match(key.Value);
        if (!match.Success) return null;
        var text = $"{match.Groups[1].Value}-{match.Groups[2].Value}-{match.Groups[3].Value}T{match.Groups[4].Value}";
        return DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var hour)
            ? hour
            : null;
    }

    /// <summary>
    /// A name for this process in file names: the host's (a pod's name on Kubernetes) and the process id, reduced to what
    /// is safe in a key and in DuckDB's list of paths.
    /// </summary>
    public static string ProcessName(string machine, int processId)
    {
        var safe = new string(machine.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray()).Trim('_');
        if (safe.Length > 64) safe = safe[..64];
        return $"{(safe.Length == 0 ? "host" : safe)}-{processId.ToString(CultureInfo.InvariantCulture)}";
    }

    public static string ThisProcess { get; } = ProcessName(Environment.MachineName, Environment.ProcessId);

    // Only names this layout makes are read: a file name is passed to DuckDB, so nothing else may be in it.
    [GeneratedRegex(@"^analytics/events/year=(\d{4})/month=(\d{2})/day=(\d{2})/hour=(\d{2})/[A-Za-z0-9_-]{1,200}\.parquet$")]
    private static partial Regex FileKey();
}
