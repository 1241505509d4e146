using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Meridian.Features.Api;

/// <summary>An OGC API link object.</summary>
public sealed record Link(
    [property: JsonPropertyName("href")] string Href,
    [property: JsonPropertyName("rel")] string Rel,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string? Title = null);

public static class MediaTypes
{
    public const string Json = "application/json";
    public const string GeoJson = "application/geo+json";
    public const string Html = "text/html";
    public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";
    public const string Problem = "application/problem+json";
}

/// <summary>Builds absolute URLs from the request, so links work behind any host name the client used.</summary>
public static class Urls
{
    public static string Base(HttpRequest request) => Hosting.Http.RequestUrls.Base(request);

    public static string To(HttpRequest request, string path, params (string Name, string? Value)[] query)
    {
        var url = Base(request) + path;
        foreach (var (name, value) in query)
        {
            if (value is not null) url = QueryHelpers.AddQueryString(url, name, value);
        }
        return url;
    }

    /// <summary>The current URL with some query parameters replaced or removed (a null value removes).</summary>
    public static string Current(HttpRequest request, params (string Name, string? Value)[] replace)
    {
        var names = replace.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var kept = request.Query.Where(q => !names.Contains(q.Key))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Concat(replace.Where(r => r.Value is not null).Select(r => new KeyValuePair<string, string?>(r.Name, r.Value)));
        return QueryHelpers.AddQueryString(Base(request) + request.Path, kept);
    }

    /// <summary>self and alternate links for a resource offered as JSON and HTML.</summary>
    public static IEnumerable<Link> SelfAndAlternate(HttpRequest request, OutputFormat format, string jsonType, string title)
    {
        var json = new Link(Current(request, ("f", "json")), format == OutputFormat.Json ? "self" : "alternate", jsonType, $"{title} as JSON");
        var html = new Link(Current(request, ("f", "html")), format == OutputFormat.Html ? "self" : "alternate", MediaTypes.Html, $"{title} as HTML");
        return [json, html];
    }
}
