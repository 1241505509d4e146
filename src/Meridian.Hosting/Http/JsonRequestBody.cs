using System.Text.Json;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Meridian.Hosting.Http;

/// <summary>
/// Reads the JSON body of a write: of an accepted media type (else 415), at most a configured number of bytes
/// long (else 413 naming the setting), nested at most <see cref="MaxDepth"/> deep, and well-formed (else a 400
/// naming the line and byte).
/// </summary>
public static class JsonRequestBody
{
    public const int MaxDepth = 32;

    public static async Task<JsonDocument> ReadAsync(HttpContext context, long maxBytes, string limitSetting, params string[] mediaTypes)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !mediaTypes.Contains(contentType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"The body must be {string.Join(" or ", mediaTypes)}, not '{request.ContentType}'.");
        }
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes, limitSetting);
        // A chunked body has no length up front: Kestrel stops reading it at the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes, limitSetting);
        }
        catch (JsonException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, "Malformed JSON",
                $"The body is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
        if (NotText(document.RootElement) is { } path)
        {
            document.Dispose();
            throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, "Malformed JSON",
                $"The string at '{string.Concat(path.Select(p => "/" + p))}' is not text: it holds bytes that are not UTF-8 or an unpaired surrogate escape (\\uD800-\\uDFFF).");
        }
        return document;
    }

    /// <summary>
    /// The JSON pointer segments of the first string (or member name) that is no text, else null. The parser accepts
    /// invalid UTF-8 and unpaired surrogate escapes inside strings; reading one later throws, which would be a 500.
    /// </summary>
    private static List<string>? NotText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element, static e => e.GetString()) ? null : [];
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!IsText(member, static m => m.Name)) return [""];
                    if (NotText(member.Value) is { } inner)
                    {
                        inner.Insert(0, member.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
                        return inner;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (NotText(item) is { } inner)
                    {
                        inner.Insert(0, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        return inner;
                    }
                    index++;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsText<T>(T value, Func<T, string?> read)
    {
        try
        {
            read(value);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>System.Text.Json appends the path and position to its messages; the detail states them once.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static ProblemException TooLarge(long maxBytes, string limitSetting) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large",
            $"The body is larger than {maxBytes} bytes ({limitSetting}).");
}
