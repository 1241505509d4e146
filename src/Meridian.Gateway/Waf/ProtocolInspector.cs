using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Gateway.Waf;

/// <summary>
/// Protocol anomalies, found before any signature runs: methods we never serve, request smuggling shapes
/// (Content-Length beside Transfer-Encoding, conflicting lengths, disguised chunked encodings), singleton
/// headers sent twice, and oversized or too many headers.
/// </summary>
internal sealed class ProtocolInspector(WafOptions options)
{
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Options,
    };

    private static readonly string[] Singletons =
    [
        HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.ContentType, HeaderNames.Authorization, HeaderNames.TransferEncoding, "X-API-Key",
    ];

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create("\r\n\0");

    public WafFinding? Inspect(HttpRequest request)
    {
        if (!Methods.Contains(request.Method)) return Finding("proto-method", "method", request.Method);

        var headers = request.Headers;
        if (headers.Count > options.MaxHeaders) return Finding("proto-header-count", "headers", headers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var transferEncoding = headers.TransferEncoding;
        if (transferEncoding.Count > 0)
        {
            // Kestrel lets Transfer-Encoding win and renames the Content-Length it got beside it to X-Content-Length.
            if (headers.ContentLength is not null || headers.ContainsKey(HeaderNames.ContentLength) || headers.ContainsKey("X-Content-Length"))
                return Finding("proto-smuggling", "header:transfer-encoding", "Content-Length with Transfer-Encoding");
            if (transferEncoding.Count != 1 || !string.Equals(transferEncoding[0], "chunked", StringComparison.OrdinalIgnoreCase))
                return Finding("proto-transfer-encoding", "header:transfer-encoding", transferEncoding.ToString());
        }

        foreach (var name in Singletons)
        {
            if (headers.TryGetValue(name, out var values) && (values.Count > 1 || name == HeaderNames.ContentLength && values.ToString().Contains(',')))
                return Finding("proto-duplicate-header", "header:" + name.ToLowerInvariant(), $"{values.Count} values");
        }
        // "+12", "0x0c", " 12": a length one parser reads and another refuses or reads otherwise is a smuggling vector.
        if (headers.TryGetValue(HeaderNames.ContentLength, out var length) && !IsDigits(length.ToString()))
            return Finding("proto-content-length", "header:content-length", "not a decimal number");

        foreach (var header in headers)
        {
            foreach (var value in header.Value)
            {
                if (value is null) continue;
                if (value.Length > options.MaxHeaderBytes)
                    return Finding("proto-header-size", "header:" + header.Key.ToLowerInvariant(), $"{value.Length} bytes");
                // CR, LF or NUL in a value: a folded (obs-fold) or injected header line that a proxy may split differently.
                if (value.AsSpan().IndexOfAny(ControlCharacters) >= 0)
                    return Finding("proto-header-control", "header:" + header.Key.ToLowerInvariant(), "control character in value");
            }
        }
        return null;
    }

    private static bool IsDigits(string text) => text.Length > 0 && !text.AsSpan().ContainsAnyExceptInRange('0', '9');

    private static WafFinding Finding(string rule, string target, string excerpt) => new(rule, "protocol", 1, target, excerpt);
}
