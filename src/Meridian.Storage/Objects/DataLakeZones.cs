namespace Meridian.Storage.Objects;

/// <summary>
/// Where things go in the object store, as in a data lake: files as they arrived under <c>raw/</c>, what
/// processing made of them under <c>processed/</c>, each keyed by the UTC day so that retention and partition
/// pruning work by prefix.
/// </summary>
public static class DataLakeZones
{
    public const string Raw = "raw";
    public const string Processed = "processed";

    /// <summary>E.g. <c>raw/2026/11/30/7f3c…/places.geojson</c>: a fresh folder per file, so names never collide.</summary>
    public static ObjectKey NewKey(string zone, DateTimeOffset when, string fileName)
    {
        var safeName = SafeFileName(fileName);
        var day = when.UtcDateTime;
        return ObjectKey.Parse($"{zone}/{day:yyyy}/{day:MM}/{day:dd}/{Guid.NewGuid():N}/{safeName}");
    }

    /// <summary>
    /// The last path segment of a client's file name, with anything unsafe in a key replaced by '_', and at most its
    /// last <see cref="MaxFileNameBytes"/> bytes (the extension tells the format): a key segment, and a file name on disk.
    /// </summary>
    public static string SafeFileName(string fileName)
    {
        var last = fileName.Replace('\\', '/').Split('/').LastOrDefault(s => s.Length > 0) ?? "";
        // Surrogates are not letters: what is kept is whole characters of 1 to 3 bytes each.
        var chars = last.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var start = 0;
        for (var bytes = System.Text.Encoding.UTF8.GetByteCount(chars); bytes > MaxFileNameBytes; start++)
            bytes -= System.Text.Encoding.UTF8.GetByteCount(chars, start, 1);
        var name = new string(chars, start, chars.Length - start).TrimStart('.');
        return name.Length == 0 ? "upload" : name;
    }

    /// <summary>Under <see cref="ObjectKey.MaxSegmentBytes"/>, leaving room for what local copies add to a name.</summary>
    private const int MaxFileNameBytes = 200;
}
