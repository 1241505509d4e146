using System.Text.Json;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// Reads the JSON body of a write: of an accepted media type (else 415), at most <c>Features:MaxWriteBytes</c>
/// long (else 413), nested at most <see cref="MaxDepth"/> deep, and well-formed (else a 400 naming the line and byte).
/// </summary>
public static class WriteBody
{
    public const int MaxDepth = 32;

    public static Task<JsonDocument> ReadAsync(HttpContext context, long maxBytes, params string[] mediaTypes) =>
        ReadAsync(context, maxBytes, "Meridian:Features:MaxWriteBytes", mediaTypes);

    /// <param name="limitName">What sets <paramref name="maxBytes"/>, named in the 413 problem.</param>
    public static async Task<JsonDocument> ReadAsync(HttpContext context, long maxBytes, string limitName, string[] mediaTypes)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !mediaTypes.Contains(contentType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                $"The body must be {string.Join(" or ", mediaTypes)}, not '{request.ContentType}'.");
        }
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes, limitName);
        // A chunked body has no length up front: Kestrel stops reading it at the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes;
        try
        {
            return await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes, limitName);
        }
        catch (JsonException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, "Malformed JSON",
                $"The body is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>System.Text.Json appends the path and position to its messages; the detail states them once.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static ProblemException TooLarge(long maxBytes, string limitName) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large",
            $"The body is larger than {maxBytes} bytes ({limitName}).");
}
