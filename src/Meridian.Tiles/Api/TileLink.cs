using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Meridian.Tiles.Api;

/// <summary>An OGC API link; <see cref="Templated"/> marks an href with <c>{tileMatrix}</c>-style variables.</summary>
internal sealed record TileLink(string Href, string Rel, string Type, string? Title = null, bool? Templated = null);

internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string Html = "text/html";
    public const string Mvt = "application/vnd.mapbox-vector-tile";
    public const string TileJson = "application/vnd.mapbox.tile+json";
}

internal static class Rels
{
    public const string TilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";
    public const string TilingSchemes = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes";
    public const string TilesetsVector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector";
    public const string Geodata = "http://www.opengis.net/def/rel/ogc/1.0/geodata";
}

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Task WriteAsync(HttpContext context, object document, string contentType = MediaTypes.Json) =>
        context.Response.WriteAsJsonAsync(document, Options, contentType, context.RequestAborted);
}

/// <summary>
/// A tileset's path and the query that every link to it and to its tiles keeps (the dataset tileset's
/// <c>collections</c> selection), so that its tiles, TileJSON and map show the same layers as it does.
/// </summary>
internal readonly record struct TilesetPath(string Path, QueryString Query)
{
    /// <summary>The tileset itself, in the given format (<c>f</c>) or the default one.</summary>
    public string Url(HttpRequest request, string? format = null) => Urls.Base(request) + Path + (format is null ? Query : Query.Add("f", format));

    /// <summary>Its tiles: the URL template <paramref name="template"/> (OGC or XYZ variables) under the tileset.</summary>
    public string TileUrl(HttpRequest request, string template) => Urls.Base(request) + Path + template + Query;
}

/// <summary>Absolute URLs from the request, so that links work behind whatever host name the client used.</summary>
internal static class Urls
{
    public static string Base(HttpRequest request) => Hosting.Http.RequestUrls.Base(request);

    public static string To(HttpRequest request, string path, string? format = null) =>
        format is null ? Base(request) + path : QueryHelpers.AddQueryString(Base(request) + path, "f", format);

    public static string Escape(string segment) => Uri.EscapeDataString(segment);
}
