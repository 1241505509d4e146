using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Meridian.Gateway.Waf;

/// <summary>
/// Undoes the encodings attackers layer to slip past signatures, the way the software behind us might read the
/// value: repeated URL encoding (%252e%252e%252f), IIS %u encoding (%u0027), overlong UTF-8 (%c0%ae%c0%af), HTML
/// entities with or without their semicolon (&amp;#x3C;, &amp;#0000106, &amp;colon;), JavaScript escapes (\u003c, \x3c),
/// and full-width or look-alike characters (＜, ＇, ∕) that NFKC or a best-fit code page turn into ASCII. ASCII
/// values without '%', '&amp;' or '\' come back as they are, without allocating.
/// </summary>
internal static partial class WafDecoder
{
    private const int MaxUrlDecodes = 3;

    public static string Normalize(string value)
    {
        var decoded = value;
        for (var i = 0; i < MaxUrlDecodes && decoded.Contains('%'); i++)
        {
            var next = WebUtility.UrlDecode(DecodeNonStandardPercent(decoded).Replace("+", "%2B", StringComparison.Ordinal));
            if (next == decoded) break;
            decoded = next;
        }
        if (decoded.Contains('&'))
        {
            decoded = WebUtility.HtmlDecode(Entity().Replace(decoded, DecodeEntity));
        }
        if (decoded.Contains('\\'))
        {
            decoded = JavaScriptEscape().Replace(decoded, m => ((char)int.Parse(m.Groups["hex"].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
        }
        if (decoded.AsSpan().IndexOfAnyInRange(FullWidthFirst, FullWidthLast) >= 0 || decoded.AsSpan().IndexOfAny(LookAlikes) >= 0)
        {
            decoded = FoldLookAlikes(decoded);
        }
        return decoded;
    }

    private const char FullWidthFirst = '\uFF01';
    private const char FullWidthLast = '\uFF5E';

    /// <summary>
    /// Full-width forms (＜ ＇ ＯＲ) to ASCII, as NFKC and best-fit code pages read them (string.Normalize cannot: the
    /// process runs with invariant globalization), the ideographic space to a space, and slash look-alikes (∕ ⁄ ⧸ ∖ ⧹) to
    /// the slashes Windows' best-fit mapping makes of them.
    /// </summary>
    private static string FoldLookAlikes(string value) => string.Create(value.Length, value, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c switch
            {
                >= FullWidthFirst and <= FullWidthLast => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                '\u2215' or '\u2044' or '\u29F8' => '/',
                '\u2216' or '\u29F9' => '\\',
                _ => c,
            };
        }
    });

    /// <summary>
    /// Other readings of a normalized value that signatures must see too, or null (the usual case): SQL comments read as a
    /// space (UNION/**/SELECT, UNION#x⏎SELECT) and as nothing (UN/**/ION, /*!50000SELECT*/), and shell words with the
    /// quotes and backslashes a shell drops (w'h'o'am'i, c\at).
    /// </summary>
    public static List<string>? Variants(string normalized)
    {
        List<string>? variants = null;
        if (normalized.Contains("/*", StringComparison.Ordinal) || normalized.Contains('\n') && (normalized.Contains('#') || normalized.Contains("--", StringComparison.Ordinal)))
        {
            variants = [SqlComment().Replace(normalized, " "), BlockComment().Replace(normalized, "")];
        }
        if (normalized.AsSpan().IndexOfAny(ShellSeparators) >= 0 && QuoteInsideWord().IsMatch(normalized))
        {
            (variants ??= []).Add(QuoteInsideWord().Replace(normalized, ""));
        }
        return variants;
    }

    private static readonly System.Buffers.SearchValues<char> LookAlikes = System.Buffers.SearchValues.Create("\u3000\u2215\u2044\u29F8\u2216\u29F9");

    private static readonly System.Buffers.SearchValues<char> ShellSeparators = System.Buffers.SearchValues.Create(";|&\n`$");

    /// <summary>%uXXXX (IIS) and overlong UTF-8 (two or three bytes for an ASCII character), which UrlDecode leaves alone or turns into U+FFFD.</summary>
    private static string DecodeNonStandardPercent(string value)
    {
        if (!value.Contains("%u", StringComparison.OrdinalIgnoreCase) && !value.Contains("%c", StringComparison.OrdinalIgnoreCase)
            && !value.Contains("%e0", StringComparison.OrdinalIgnoreCase)) return value;
        return NonStandardPercent().Replace(value, m =>
        {
            if (m.Groups["u"].Success) return ((char)Hex(m.Groups["u"].ValueSpan)).ToString();
            var code = m.Groups["b3"].Success
                ? (Hex(m.Groups["b2"].ValueSpan) & 0x3F) << 6 | Hex(m.Groups["b3"].ValueSpan) & 0x3F
                : (Hex(m.Groups["b1"].ValueSpan) & 0x1F) << 6 | Hex(m.Groups["b2"].ValueSpan) & 0x3F;
            // Overlong forms of ASCII only: a real two- or three-byte character is left for UrlDecode.
            return code < 0x80 ? ((char)code).ToString() : m.Value;
        });
    }

    private static int Hex(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string DecodeEntity(Match match)
    {
        if (match.Groups["name"].Success) return NamedEntities[match.Groups["name"].Value.ToLowerInvariant()];
        var code = match.Groups["hex"].Success
            ? long.Parse(match.Groups["hex"].ValueSpan, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : long.Parse(match.Groups["dec"].ValueSpan, CultureInfo.InvariantCulture);
        return code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)code) : match.Value;
    }

    /// <summary>HTML5 names that browsers decode in attributes and WebUtility (HTML 4) does not.</summary>
    private static readonly Dictionary<string, string> NamedEntities = new(StringComparer.Ordinal)
    {
        ["colon"] = ":", ["tab"] = "\t", ["newline"] = "\n", ["lpar"] = "(", ["rpar"] = ")", ["sol"] = "/", ["bsol"] = "\\", ["period"] = ".",
        ["comma"] = ",", ["semi"] = ";", ["excl"] = "!", ["num"] = "#", ["dollar"] = "$", ["percnt"] = "%", ["plus"] = "+", ["equals"] = "=",
        ["lsqb"] = "[", ["rsqb"] = "]", ["lcub"] = "{", ["rcub"] = "}", ["grave"] = "`", ["apos"] = "'", ["lowbar"] = "_", ["ast"] = "*", ["verbar"] = "|",
    };

    [GeneratedRegex(@"%u(?<u>[0-9a-f]{4})|%(?<b1>c[01])%(?<b2>[89ab][0-9a-f])|%e0%(?<b2>[89][0-9a-f])%(?<b3>[89ab][0-9a-f])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NonStandardPercent();

    /// <summary>Numeric references with the semicolon browsers do not need (&amp;#0000106), and the HTML5 names of <see cref="NamedEntities"/>.</summary>
    [GeneratedRegex(@"&#(?:x0*(?<hex>[0-9a-f]{1,6})|0*(?<dec>\d{1,7}));?|&(?<name>colon|tab|newline|lpar|rpar|sol|bsol|period|comma|semi|excl|num|dollar|percnt|plus|equals|lsqb|rsqb|lcub|rcub|grave|apos|lowbar|ast|verbar);",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Entity();

    [GeneratedRegex(@"\\(?:u\{?(?<hex>[0-9a-f]{4})\}?|x(?<hex>[0-9a-f]{2}))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JavaScriptEscape();

    [GeneratedRegex(@"/\*.*?\*/|(?:#|--)[^\r\n]*[\r\n]", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex SqlComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"(?<=[a-z0-9/$])['""\\^]+(?=[a-z0-9/$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuoteInsideWord();
}
