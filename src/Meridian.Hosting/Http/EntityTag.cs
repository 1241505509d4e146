using System.Buffers.Text;
using System.IO.Hashing;

namespace Meridian.Hosting.Http;

/// <summary>
/// Strong entity tags (RFC 9110 §8.8.3) computed from the bytes of a representation, so that the same bytes
/// always get the same tag in every process, and a conditional write (<c>If-Match</c>) can recompute the tag of
/// the current representation and compare it with what the client last read.
/// </summary>
public static class EntityTag
{
    /// <summary>The quoted strong tag of these bytes, e.g. <c>"x2Jf…"</c>.</summary>
    public static string Of(ReadOnlySpan<byte> representation)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(representation, hash);
        return "\"" + Base64Url.EncodeToString(hash) + "\"";
    }

    /// <summary>
    /// The tag of a representation's bytes after a content coding: strong tags must differ between codings
    /// (RFC 9110 §8.8.3), so the coding is appended, e.g. <c>"x2Jf…-gzip"</c>.
    /// </summary>
    public static string ForCoding(string tag, string? contentCoding) =>
        string.IsNullOrEmpty(contentCoding) || contentCoding == "identity" ? tag : tag[..^1] + "-" + contentCoding + "\"";

    /// <summary><c>If-None-Match</c>: weak comparison, so <c>W/"…"</c> matches by its opaque part; <c>*</c> matches any.</summary>
    public static bool IfNoneMatch(string? headerValue, string tag) => AnyMatches(headerValue, tag, weak: true);

    /// <summary>
    /// <c>If-Match</c>: strong comparison, so a weak validator never matches; <c>*</c> matches any. A tag the client got
    /// with a compressed body (<see cref="ForCoding"/>) matches too: it names the same state of the resource.
    /// </summary>
    public static bool IfMatch(string? headerValue, string tag) =>
        AnyMatches(headerValue, tag, weak: false) || Codings.Any(c => AnyMatches(headerValue, ForCoding(tag, c), weak: false));

    private static readonly string[] Codings = ["gzip", "br"];

    private static bool AnyMatches(string? headerValue, string tag, bool weak)
    {
        if (string.IsNullOrWhiteSpace(headerValue)) return false;
        foreach (var range in headerValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (range == "*") return true;
            var isWeak = range.StartsWith("W/", StringComparison.Ordinal);
            if (isWeak && !weak) continue;
            if (string.Equals(isWeak ? range[2..] : range, tag, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
