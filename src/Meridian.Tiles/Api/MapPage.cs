using System.Net;
using System.Reflection;
using System.Text.Json;
using Meridian.Storage.Schema;
using Microsoft.AspNetCore.Http;

namespace Meridian.Tiles.Api;

/// <summary>
/// A map of a WebMercatorQuad tileset for people: MapLibre GL JS, served from this process (no CDN), reading the
/// tileset's TileJSON and drawing each layer by its geometry type.
/// </summary>
internal static class MapPage
{
    public const string AssetsPath = "/assets/maplibre";

    public static string Render(HttpRequest request, string title, IEnumerable<CollectionSchema> layers, string tileJsonUrl)
    {
        var styleLayers = new List<object> { new { id = "background", type = "background", paint = new Dictionary<string, object> { ["background-color"] = "#f4f1ea" } } };
        var palette = new[] { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf" };
        var index = 0;
        foreach (var layer in layers)
        {
            var colour = palette[index++ % palette.Length];
            var id = layer.Id;
            var polygons = new object[] { "==", new object[] { "geometry-type" }, "Polygon" };
            var lines = new object[] { "==", new object[] { "geometry-type" }, "LineString" };
            var points = new object[] { "==", new object[] { "geometry-type" }, "Point" };
            styleLayers.Add(Layer($"{id}-fill", "fill", id, polygons, new() { ["fill-color"] = colour, ["fill-opacity"] = 0.25 }));
            styleLayers.Add(Layer($"{id}-outline", "line", id, polygons, new() { ["line-color"] = colour, ["line-width"] = 1 }));
            styleLayers.Add(Layer($"{id}-line", "line", id, lines, new() { ["line-color"] = colour, ["line-width"] = 1.5 }));
            styleLayers.Add(Layer($"{id}-point", "circle", id, points, new()
            {
                ["circle-color"] = colour, ["circle-radius"] = 4, ["circle-stroke-color"] = "#ffffff", ["circle-stroke-width"] = 1,
            }));
        }
        var style = new
        {
            version = 8,
            sources = new Dictionary<string, object> { ["tiles"] = new { type = "vector", url = tileJsonUrl } },
            layers = styleLayers,
        };
        var styleJson = JsonSerializer.Serialize(style).Replace("</", "<\\/", StringComparison.Ordinal);
        var assets = Urls.To(request, AssetsPath);
        var encodedTitle = WebUtility.HtmlEncode(title);
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{encodedTitle}} — Meridian tiles</title>
            <link rel="stylesheet" href="{{assets}}/maplibre-gl.css">
            <script src="{{assets}}/maplibre-gl.js"></script>
            <style>
              html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
              #map { position: absolute; top: 2.5rem; bottom: 0; width: 100%; }
              header { height: 2.5rem; line-height: 2.5rem; padding: 0 1rem; background: #233; color: #fff; }
              header a { color: #9cf; }
              #info { position: absolute; right: .5rem; top: 3rem; max-width: 22rem; max-height: 60%; overflow: auto; background: #fffe;
                      font-size: .8rem; padding: .4rem .6rem; border-radius: 4px; display: none; }
            </style>
            </head>
            <body>
            <header>{{encodedTitle}} · <a href="?f=json">tileset</a> · <a href="?f=tilejson">TileJSON</a></header>
            <div id="map"></div>
            <pre id="info"></pre>
            <script>
              const map = new maplibregl.Map({ container: 'map', style: {{styleJson}}, center: [0, 20], zoom: 1, hash: true });
              map.addControl(new maplibregl.NavigationControl());
              map.on('load', () => {
                const bounds = map.getSource('tiles').bounds;
                if (!location.hash && bounds) map.fitBounds(bounds, { padding: 20, maxZoom: 12, animate: false });
              });
              map.on('click', e => {
                const info = document.getElementById('info');
                const hits = map.queryRenderedFeatures(e.point);
                info.style.display = hits.length ? 'block' : 'none';
                info.textContent = hits.slice(0, 5).map(f => f.sourceLayer + ' #' + (f.id ?? '') + '\n' + JSON.stringify(f.properties, null, 1)).join('\n\n');
              });
            </script>
            </body>
            </html>
            """;
    }

    private static object Layer(string id, string type, string sourceLayer, object[] filter, Dictionary<string, object> paint) =>
        new Dictionary<string, object>
        {
            ["id"] = id,
            ["type"] = type,
            ["source"] = "tiles",
            ["source-layer"] = sourceLayer,
            ["filter"] = filter,
            ["paint"] = paint,
        };

    /// <summary>Serves the vendored MapLibre files embedded in this assembly; anything else is a 404.</summary>
    public static async Task AssetAsync(HttpContext context, string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".txt" => "text/plain; charset=utf-8",
            _ => null,
        };
        await using var stream = type is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("maplibre/" + file);
        if (stream is null) throw Hosting.Problems.ProblemException.NotFound($"There is no asset '{file}'.");
        context.Response.ContentType = type;
        context.Response.ContentLength = stream.Length;
        context.Response.Headers.CacheControl = "public, max-age=86400";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
