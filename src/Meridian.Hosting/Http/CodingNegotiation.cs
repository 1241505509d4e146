using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;

namespace Meridian.Hosting.Http;

/// <summary>
/// The content coding response compression will choose for a request, remembered per <c>Accept-Encoding</c> value.
/// Every cacheable request's key names it, hits included, and the framework parses the header's list of codings and
/// quality values anew on each call: garbage on every hit, while clients send a handful of distinct values (a browser
/// the same "gzip, deflate, br, zstd" on every request).
/// </summary>
internal sealed class CodingNegotiation(IResponseCompressionProvider compression)
{
    /// <summary>Distinct values remembered; past it (hostile or very varied clients) the others are negotiated every time.</summary>
    private const int MaxRemembered = 256;

    /// <summary>Header value to encoding name, "" for none (a dictionary value cannot be null).</summary>
    private readonly ConcurrentDictionary<string, string> _codings = new(StringComparer.Ordinal);

    private int _remembered;

    /// <summary>The encoding name (e.g. <c>br</c>) of the coding the response will get, or null when it will not be compressed.</summary>
    public string? For(HttpContext context)
    {
        if (!compression.CheckRequestAcceptsCompression(context)) return null;
        var header = context.Request.Headers.AcceptEncoding;
        // Several Accept-Encoding lines are rare: negotiated each time rather than joined into one key.
        if (header.Count != 1 || header[0] is not { } value) return Negotiate(context);
        if (_codings.TryGetValue(value, out var known)) return known.Length == 0 ? null : known;
        var coding = Negotiate(context);
        // Counted only while there is room, so that the count cannot run on (and wrap) under endless new values.
        if (Volatile.Read(ref _remembered) < MaxRemembered && Interlocked.Increment(ref _remembered) <= MaxRemembered)
            _codings.TryAdd(value, coding ?? "");
        return coding;
    }

    /// <summary>How many values are remembered (never more than 256).</summary>
    internal int Remembered => _codings.Count;

    private string? Negotiate(HttpContext context) => compression.GetCompressionProvider(context)?.EncodingName;
}
