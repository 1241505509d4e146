using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Features.Api;

public enum OutputFormat
{
    Json,
    Html,
}

/// <summary>
/// Chooses JSON or HTML from the <c>f</c> parameter, else from the Accept header (quality values honoured),
/// else JSON. Nothing acceptable is a 406; <c>f</c> given more than once is a malformed request (400), not a format
/// we lack: its values would otherwise be read joined, as "html,json".
/// </summary>
public static class ContentNegotiation
{
    public static OutputFormat Choose(HttpRequest request, string jsonMediaType)
    {
        if (request.Query.TryGetValue("f", out var f))
        {
            if (f.Count > 1) throw ProblemException.InvalidParameter("f", "f is given more than once: give one format, f=json or f=html.");
            return f.ToString().ToLowerInvariant() switch
            {
                "json" or "geojson" or "application/json" or "application/geo+json" => OutputFormat.Json,
                "html" or "text/html" => OutputFormat.Html,
                var other => throw ProblemException.NotAcceptable($"Format '{other}' is not available here: use f=json or f=html."),
            };
        }
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0)
            return OutputFormat.Json;

        OutputFormat? best = null;
        double bestQuality = 0;
        foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1))
        {
            var quality = media.Quality ?? 1;
            if (quality <= 0 || quality <= bestQuality) continue;
            OutputFormat? format = media.MediaType.Value?.ToLowerInvariant() switch
            {
                "text/html" or "application/xhtml+xml" or "text/*" => OutputFormat.Html,
                "application/json" or "application/geo+json" or "application/*" => OutputFormat.Json,
                "application/vnd.oai.openapi+json" or "application/schema+json" => OutputFormat.Json,
                "*/*" => OutputFormat.Json,
                var t when t == jsonMediaType => OutputFormat.Json,
                _ => null,
            };
            if (format is null) continue;
            best = format;
            bestQuality = quality;
        }
        return best ?? throw ProblemException.NotAcceptable(
            $"None of the accepted media types is available: this resource is {jsonMediaType} or text/html.");
    }
}
