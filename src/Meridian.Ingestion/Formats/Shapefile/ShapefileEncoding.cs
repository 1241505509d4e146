using System.Globalization;
using System.Text;

namespace Meridian.Ingestion.Formats.Shapefile;

/// <summary>
/// The text encoding of a Shapefile's attributes: the .cpg file's code page when there is one, else the
/// dBASE language driver id in the .dbf header, else UTF-8 (what current writers produce).
/// </summary>
internal static class ShapefileEncoding
{
    /// <summary>Byte 29 of a dBASE header holds the language driver id.</summary>
    private const int LanguageDriverOffset = 29;

    static ShapefileEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Resolve(string? cpgPath, string dbfPath)
    {
        if (cpgPath is not null && FromCodePageName(File.ReadAllText(cpgPath).Trim()) is { } declared) return declared;
        return FromLanguageDriver(dbfPath) ?? Encoding.UTF8;
    }

    /// <summary>"UTF-8", "1252", "ANSI 1252", "CP1252", "windows-1252", "ISO-8859-1", "88591"…; null when unknown.</summary>
    public static Encoding? FromCodePageName(string name)
    {
        var text = name.Trim().ToUpperInvariant();
        foreach (var prefix in new[] { "ANSI ", "CP", "OEM " })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal)) text = text[prefix.Length..].Trim();
        }
        if (text == "UTF8") text = "UTF-8";
        if (text.StartsWith("8859", StringComparison.Ordinal) && text.Length > 4 && text.Skip(4).All(char.IsAsciiDigit)) text = "ISO-8859-" + text[4..];
        try
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static Encoding? FromLanguageDriver(string dbfPath)
    {
        using var dbf = File.OpenRead(dbfPath);
        if (dbf.Length <= LanguageDriverOffset) return null;
        dbf.Position = LanguageDriverOffset;
        var id = (byte)dbf.ReadByte();
        return CodePages.TryGetValue(id, out var codePage) ? Encoding.GetEncoding(codePage) : null;
    }

    /// <summary>dBASE language driver ids and their code pages (from the dBASE and ESRI tables; 0 means none).</summary>
    private static readonly Dictionary<byte, int> CodePages = new()
    {
        [0x01] = 437, [0x02] = 850, [0x03] = 1252, [0x04] = 10000, [0x08] = 865, [0x09] = 437, [0x0A] = 850, [0x0B] = 437,
        [0x0D] = 437, [0x0E] = 850, [0x0F] = 437, [0x10] = 850, [0x11] = 437, [0x12] = 850, [0x13] = 932, [0x14] = 850,
        [0x15] = 437, [0x16] = 850, [0x17] = 865, [0x18] = 437, [0x19] = 437, [0x1A] = 850, [0x1B] = 437, [0x1C] = 863,
        [0x1D] = 850, [0x1F] = 852, [0x22] = 852, [0x23] = 852, [0x24] = 860, [0x25] = 850, [0x26] = 866, [0x37] = 850,
        [0x40] = 852, [0x4D] = 936, [0x4E] = 949, [0x4F] = 950, [0x50] = 874, [0x57] = 1252, [0x58] = 1252, [0x59] = 1252,
        [0x64] = 852, [0x65] = 866, [0x66] = 865, [0x67] = 861, [0x6A] = 737, [0x6B] = 857, [0x6C] = 863, [0x78] = 950,
        [0x79] = 949, [0x7A] = 936, [0x7B] = 932, [0x7C] = 874, [0x7D] = 1255, [0x7E] = 1256, [0x86] = 737, [0x87] = 852,
        [0x88] = 857, [0xC8] = 1250, [0xC9] = 1251, [0xCA] = 1254, [0xCB] = 1253, [0xCC] = 1257,
    };
}
