using System.Text;

namespace Meridian.Ingestion.Formats;

/// <summary>What the first bytes of a file and its name say, for <see cref="IFeatureFormat.Recognizes"/>.</summary>
internal static class FileHead
{
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> ZipMagic => "PK\u0003\u0004"u8;

    /// <summary>The head without a UTF-8 byte order mark and leading whitespace.</summary>
    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Utf8Bom)) head = head[Utf8Bom.Length..];
        return head.TrimStart(" \t\r\n"u8);
    }

    public static bool HasExtension(string fileName, params ReadOnlySpan<string> extensions)
    {
        foreach (var extension in extensions)
        {
            if (fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The local name of the first element of an XML head (after the declaration, comments, a DOCTYPE), or null.</summary>
    public static string? XmlRoot(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(TrimStart(head));
        var at = 0;
        while ((at = text.IndexOf('<', at)) >= 0 && at + 1 < text.Length)
        {
            if (text[at + 1] is '?' or '!')
            {
                at++;
                continue;
            }
            var end = at + 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('>' or '/')) end++;
            var name = text[(at + 1)..end];
            return name[(name.IndexOf(':') + 1)..];
        }
        return null;
    }

    /// <summary>Whether the head is text: no NUL bytes and valid UTF-8 (a character cut off by the 4 KiB limit is fine).</summary>
    public static bool IsText(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0)) return false;
        // A multi-byte character may be cut at the end of the head.
        for (var cut = 0; cut < 4 && cut <= head.Length; cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(head[..^cut])) return true;
        }
        return false;
    }

    /// <summary>What a file no format recognises looks like, for the error message.</summary>
    public static string Describe(ReadOnlySpan<byte> head, long length)
    {
        if (length == 0) return "the file is empty (0 bytes)";
        var trimmed = TrimStart(head);
        if (trimmed.IsEmpty && length <= head.Length) return "the file holds only whitespace";
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
            return "the file is a TIFF image (raster data, not vector features)";
        if (head.StartsWith(ZipMagic) || head.StartsWith("PK\u0005\u0006"u8)) return "the file is a zip archive with no Shapefile or KML in it";
        if (head.StartsWith("%PDF"u8)) return "the file is a PDF document";
        if (head.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })) return "the file is a PNG image";
        if (head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })) return "the file is a JPEG image";
        if (head.StartsWith(new byte[] { 0x1F, 0x8B })) return "the file is gzip-compressed: unpack it first";
        if (head.StartsWith("SQLite format 3\0"u8)) return "the file is an SQLite database but not a GeoPackage";
        if (XmlRoot(head) is { } root && trimmed.Length > 0 && trimmed[0] == '<')
        {
            return root.Equals("html", StringComparison.OrdinalIgnoreCase) || root.Equals("DOCTYPE", StringComparison.OrdinalIgnoreCase) ||
                   Encoding.UTF8.GetString(trimmed[..Math.Min(trimmed.Length, 200)]).Contains("<html", StringComparison.OrdinalIgnoreCase)
                ? "the file is an HTML page (an error page saved in place of the data?)"
                : $"the file is XML with a root element <{root}>, not GPX or KML";
        }
        if (IsText(head)) return "the file is text in no format Meridian reads (CSV needs a .csv, .tsv or .txt name)";
        return head.Contains((byte)0) ? "the file is binary data in no format Meridian reads" : "the file is text, not in UTF-8, in no format Meridian reads";
    }
}
