using System.Net;

namespace Meridian.Gateway.Waf;

/// <summary>
/// Undoes the encodings attackers layer to slip past signatures: repeated URL encoding (%252e%252e%252f) and
/// HTML entities (&amp;#x3C;script&gt;). Values without '%' or '&amp;' come back as they are, without allocating.
/// </summary>
internal static class WafDecoder
{
    private const int MaxUrlDecodes = 3;

    public static string Normalize(string value)
    {
        var decoded = value;
        for (var i = 0; i < MaxUrlDecodes && decoded.Contains('%'); i++)
        {
            var next = WebUtility.UrlDecode(decoded.Replace("+", "%2B", StringComparison.Ordinal));
            if (next == decoded) break;
            decoded = next;
        }
        if (decoded.Contains('&') && decoded.Contains(';') || decoded.Contains("&#", StringComparison.Ordinal))
        {
            decoded = WebUtility.HtmlDecode(decoded);
        }
        return decoded;
    }
}
