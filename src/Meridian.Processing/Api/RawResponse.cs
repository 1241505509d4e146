using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Processing.Library;
using Meridian.Processing.Processes;
using Microsoft.AspNetCore.Http;

namespace Meridian.Processing.Api;

/// <summary>
/// The "raw" response of an execution (OGC API – Processes 1.0, /req/core/job-creation-sync-raw-value-one and
/// -multi): one output is the body itself; several are a multipart/related body, one part per output with its media
/// type and its name as Content-ID.
/// </summary>
internal static class RawResponse
{
    private const string Json = "application/json";
    private const string PlainText = "text/plain; charset=utf-8";

    public static IResult Create(JsonObject outputs) => new Sandboxed(Body(outputs));

    private static IResult Body(JsonObject outputs)
    {
        if (outputs.Count == 1)
        {
            var (body, mediaType) = Part(outputs.First().Value);
            return Results.Bytes(body, mediaType);
        }
        var boundary = "meridian-" + Guid.NewGuid().ToString("N");
        using var multipart = new MemoryStream();
        string? rootType = null;
        foreach (var (name, value) in outputs)
        {
            var (body, mediaType) = Part(value);
            rootType ??= mediaType;
            Write(multipart, $"--{boundary}\r\nContent-Type: {mediaType}\r\nContent-ID: <{name}>\r\n\r\n");
            multipart.Write(body.Span);
            Write(multipart, "\r\n");
        }
        Write(multipart, $"--{boundary}--\r\n");
        // RFC 2387: "type" names the media type of the first (root) part.
        return Results.Bytes(multipart.ToArray(), $"multipart/related; boundary={boundary}; type=\"{rootType}\"");
    }

    /// <summary>
    /// An output as bytes: an inline result as written, text as itself (text/plain), a qualified base64 value
    /// ({value, mediaType, encoding}) as its decoded bytes, anything else as JSON (a FeatureCollection as GeoJSON).
    /// </summary>
    private static (ReadOnlyMemory<byte> Body, string MediaType) Part(JsonNode? value)
    {
        if (RawJson.TryGet(value, out var raw)) return (raw.Utf8, raw.MediaType);
        if (Text(value) is { } text) return (Encoding.UTF8.GetBytes(text), PlainText);
        if (value is JsonObject { Count: 3 } qualified && Text(qualified["encoding"]) == "base64"
            && Text(qualified["value"]) is { } base64 && Text(qualified["mediaType"]) is { } mediaType)
            return (Convert.FromBase64String(base64), mediaType);
        var isGeoJson = value is JsonObject o && Text(o["type"]) == "FeatureCollection";
        return (Encoding.UTF8.GetBytes(value?.ToJsonString() ?? "null"), isGeoJson ? GeoJsonFeatures.MediaType : Json);
    }

    /// <summary>
    /// A raw body and its media type can come from the request itself (the echo process, any base64 output), so a
    /// browser must not run it as a page of this origin: text/html or SVG sent back would otherwise be a reflected
    /// script. A sandbox policy leaves API clients unaffected.
    /// </summary>
    private sealed class Sandboxed(IResult body) : IResult
    {
        public const string Policy = "sandbox; default-src 'none'";

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentSecurityPolicy = Policy;
            return body.ExecuteAsync(httpContext);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static void Write(MemoryStream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
