namespace Meridian.Storage.Objects;

/// <summary>
/// A checked object key: 1 to 1024 characters of slash-separated segments, none empty, none "." or ".."
/// and none starting with '.', none longer than 255 bytes in UTF-8, no backslashes or control characters. The same
/// key is safe as a path under the local store's root and as an S3 key, so user-supplied names can never reach
/// outside the store, nor name a file the disk cannot hold.
/// </summary>
public readonly record struct ObjectKey
{
    public const int MaxLength = 1024;

    /// <summary>The longest file name most file systems take (ext4, XFS, APFS, NTFS in UTF-16 units).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>
    /// Where the store keeps its own bookkeeping (parts of unfinished uploads). Its keys start with '.', so no
    /// key a client names can reach it, and listings leave it out unless asked for it.
    /// </summary>
    public const string ReservedArea = ".meridian/";

    private ObjectKey(string value) => Value = value;

    public string Value { get; }

    public static ObjectKey Parse(string value) =>
        TryParse(value, out var key, out var error) ? key : throw new ArgumentException(error, nameof(value));

    public static bool TryParse(string? value, out ObjectKey key, out string error)
    {
        key = default;
        error = Check(value) ?? "";
        if (error.Length > 0) return false;
        key = new ObjectKey(value!);
        return true;
    }

    /// <summary>Parses a key as a store lists it: a client key, or one in the reserved area.</summary>
    public static bool TryParseStored(string value, out ObjectKey key)
    {
        var reserved = value.StartsWith(ReservedArea, StringComparison.Ordinal);
        if (!TryParse(reserved ? value[ReservedArea.Length..] : value, out key, out _)) return false;
        if (reserved) key = new ObjectKey(value);
        return true;
    }

    /// <summary>Whether a listing with this prefix may show this key.</summary>
    public bool IsListedUnder(string prefix) =>
        Value.StartsWith(prefix, StringComparison.Ordinal) && (!IsReserved || prefix.StartsWith(ReservedArea, StringComparison.Ordinal));

    public bool IsReserved => Value.StartsWith(ReservedArea, StringComparison.Ordinal);

    /// <summary>A key in the reserved area; <paramref name="rest"/> must itself be a valid key.</summary>
    internal static ObjectKey Reserved(string rest) => new(ReservedArea + Parse(rest).Value);

    private static string? Check(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "An object key must not be empty.";
        if (value.Length > MaxLength) return $"An object key has at most {MaxLength} characters.";
        foreach (var c in value)
        {
            if (char.IsControl(c) || c == '\\') return $"An object key must not contain control characters or backslashes: '{Printable(value)}'.";
        }
        foreach (var segment in value.Split('/'))
        {
            if (segment.Length == 0) return $"An object key has no empty segments (no leading, trailing or double '/'): '{value}'.";
            if (segment[0] == '.') return $"No segment of an object key may start with '.': '{value}'.";
            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
                return $"A segment of an object key has at most {MaxSegmentBytes} bytes in UTF-8 (a file name's limit): '{segment}'.";
        }
        return null;
    }

    private static string Printable(string value) => new(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());

    public override string ToString() => Value;
}
