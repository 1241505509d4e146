using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Tiles.Tiling;
using Microsoft.AspNetCore.Http;
using NetTopologySuite.Geometries;

namespace Meridian.Tiles.Api;

/// <summary>
/// The JSON documents of OGC API - Tiles (tile matrix sets, tileset lists, tileset metadata per OGC 17-083r4)
/// and TileJSON 3.0.0 for MapLibre and Mapbox clients.
/// </summary>
internal static class TileDocuments
{
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>The template variables of a tile URL, as OGC API - Tiles names them.</summary>
    public const string TileTemplate = "/{tileMatrix}/{tileRow}/{tileCol}";

    public static object TileMatrixSetList(HttpRequest request) => new
    {
        tileMatrixSets = TileMatrixSet.All.Select(t => new
        {
            id = t.Id,
            title = t.Title,
            uri = t.Uri,
            crs = t.Crs,
            links = new[] { new TileLink(Urls.To(request, $"/tileMatrixSets/{t.Id}"), "self", MediaTypes.Json, t.Title) },
        }),
        links = new[] { new TileLink(Urls.To(request, "/tileMatrixSets"), "self", MediaTypes.Json, "The tile matrix sets") },
    };

    /// <summary>A tile matrix set's definition, every matrix listed, in the 2D TMS JSON encoding.</summary>
    public static object TileMatrixSetDefinition(HttpRequest request, TileMatrixSet set) => new
    {
        id = set.Id,
        title = set.Title,
        uri = set.Uri,
        crs = set.Crs,
        orderedAxes = set.OrderedAxes,
        wellKnownScaleSet = set.WellKnownScaleSet,
        tileMatrices = Enumerable.Range(set.MinZoom, set.MaxZoom - set.MinZoom + 1).Select(z => new
        {
            id = z.ToString(System.Globalization.CultureInfo.InvariantCulture),
            scaleDenominator = set.ScaleDenominator(z),
            cellSize = set.CellSize(z),
            cornerOfOrigin = "topLeft",
            pointOfOrigin = new[] { set.Origin.X, set.Origin.Y },
            tileWidth = TileMatrixSet.TileSize,
            tileHeight = TileMatrixSet.TileSize,
            matrixWidth = set.MatrixWidth(z),
            matrixHeight = set.MatrixHeight(z),
        }),
        links = new[] { new TileLink(Urls.To(request, $"/tileMatrixSets/{set.Id}"), "self", MediaTypes.Json, set.Title) },
    };

    /// <summary>The tilesets of a resource (a collection at <c>/collections/{id}/tiles</c>, or all of them at <c>/tiles</c>).</summary>
    public static object TilesetList(HttpRequest request, string basePath, string title) => new
    {
        links = new[] { new TileLink(Urls.To(request, basePath), "self", MediaTypes.Json, $"Tilesets of {title}") },
        tilesets = TileMatrixSet.All.Select(set => new
        {
            title = $"{title} ({set.Id})",
            dataType = "vector",
            crs = set.Crs,
            tileMatrixSetURI = set.Uri,
            links = TilesetLinks(request, new TilesetPath($"{basePath}/{set.Id}", QueryString.Empty), set, collectionPath: null),
        }),
    };

    /// <summary>Tileset metadata: what <paramref name="tileset"/> serves, one layer per collection.</summary>
    public static async Task<object> TilesetAsync(HttpRequest request, TilesetPath tileset, TileMatrixSet set, string title, string? description,
        IReadOnlyList<IFeatureCollection> layers, string? collectionPath, CancellationToken ct)
    {
        var extent = await ExtentAsync(layers, ct);
        return new
        {
            title = $"{title} ({set.Id})",
            description,
            dataType = "vector",
            crs = set.Crs,
            tileMatrixSetURI = set.Uri,
            links = TilesetLinks(request, tileset, set, collectionPath),
            // The tileset metadata schema wants at least one layer when `layers` is there: none (an empty selection or
            // catalog) leaves it out.
            layers = layers.Count == 0 ? null : layers.Select(c => new
            {
                id = c.Schema.Id,
                title = c.Schema.Title,
                description = c.Schema.Description,
                dataType = "vector",
                geometryDimension = Dimension(c.Schema.GeometryType),
                minTileMatrix = set.MinZoom.ToString(System.Globalization.CultureInfo.InvariantCulture),
                maxTileMatrix = set.MaxZoom.ToString(System.Globalization.CultureInfo.InvariantCulture),
                propertiesSchema = new
                {
                    type = "object",
                    properties = c.Schema.Properties.ToDictionary(p => p.Name, PropertySchema),
                },
            }),
            boundingBox = extent is { } e ? new { lowerLeft = new[] { e.MinX, e.MinY }, upperRight = new[] { e.MaxX, e.MaxY }, crs = Crs84 } : null,
        };
    }

    /// <summary>TileJSON 3.0.0 for a WebMercatorQuad tileset: what MapLibre's <c>url</c> source option loads.</summary>
    public static async Task<object> TileJsonAsync(HttpRequest request, TilesetPath tileset, string title, string? description,
        IReadOnlyList<IFeatureCollection> layers, CancellationToken ct)
    {
        var set = TileMatrixSet.WebMercatorQuad;
        var extent = await ExtentAsync(layers, ct) ?? new Envelope(-180, 180, -90, 90);
        var bounds = new[] { extent.MinX, Math.Max(extent.MinY, -WebMercator.MaxLatitude), extent.MaxX, Math.Min(extent.MaxY, WebMercator.MaxLatitude) };
        var document = new Dictionary<string, object?>
        {
            ["tilejson"] = "3.0.0",
            ["name"] = title,
            ["description"] = description,
            ["scheme"] = "xyz",
            // OGC API - Tiles orders the path {tileMatrix}/{tileRow}/{tileCol}: z, then y, then x.
            ["tiles"] = new[] { tileset.TileUrl(request, "/{z}/{y}/{x}") },
            ["minzoom"] = set.MinZoom,
            ["maxzoom"] = set.MaxZoom,
            ["bounds"] = bounds,
            ["center"] = new[] { (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 2 },
            ["vector_layers"] = layers.Select(c => new Dictionary<string, object?>
            {
                ["id"] = c.Schema.Id,
                ["description"] = c.Schema.Description ?? c.Schema.Title,
                ["minzoom"] = set.MinZoom,
                ["maxzoom"] = set.MaxZoom,
                ["fields"] = c.Schema.Properties.ToDictionary(p => p.Name, p => p.Type switch
                {
                    PropertyType.Integer or PropertyType.Number => "Number",
                    PropertyType.Boolean => "Boolean",
                    _ => "String",
                }),
            }),
        };
        // TileJSON leaves out what it does not know rather than writing nulls.
        return document.Where(kv => kv.Value is not null).ToDictionary();
    }

    private static List<TileLink> TilesetLinks(HttpRequest request, TilesetPath tileset, TileMatrixSet set, string? collectionPath)
    {
        var links = new List<TileLink>
        {
            new(tileset.Url(request), "self", MediaTypes.Json, $"This tileset ({set.Id})"),
            new(Urls.To(request, $"/tileMatrixSets/{set.Id}"), Rels.TilingScheme, MediaTypes.Json, $"The {set.Id} tile matrix set"),
            new(tileset.TileUrl(request, TileTemplate), "item", MediaTypes.Mvt, "Mapbox vector tiles", Templated: true),
        };
        if (set == TileMatrixSet.WebMercatorQuad)
        {
            links.Add(new(tileset.Url(request, "tilejson"), "alternate", MediaTypes.TileJson, "This tileset as TileJSON 3.0 (MapLibre, Mapbox)"));
            links.Add(new(tileset.Url(request, "html"), "alternate", MediaTypes.Html, "A map of this tileset"));
        }
        if (collectionPath is not null) links.Add(new(Urls.To(request, collectionPath, "json"), Rels.Geodata, MediaTypes.Json, "The collection"));
        return links;
    }

    /// <summary>The CRS84 box around every layer's data, or null when all are empty.</summary>
    private static async Task<Envelope?> ExtentAsync(IReadOnlyList<IFeatureCollection> layers, CancellationToken ct)
    {
        Envelope? all = null;
        foreach (var layer in layers)
        {
            if (await layer.GetExtentAsync(ct) is not { } e) continue;
            all ??= new Envelope();
            all.ExpandToInclude(e);
        }
        return all is null ? null : new Envelope(Math.Max(all.MinX, -180), Math.Min(all.MaxX, 180), Math.Max(all.MinY, -90), Math.Min(all.MaxY, 90));
    }

    private static int? Dimension(GeometryKind kind) => kind switch
    {
        GeometryKind.Point or GeometryKind.MultiPoint => 0,
        GeometryKind.LineString or GeometryKind.MultiLineString => 1,
        GeometryKind.Polygon or GeometryKind.MultiPolygon => 2,
        _ => null,
    };

    private static object PropertySchema(PropertySchema property) => property.Type switch
    {
        PropertyType.Integer => new { type = "integer" },
        PropertyType.Number => new { type = "number" },
        PropertyType.Boolean => new { type = "boolean" },
        PropertyType.Date => new { type = "string", format = "date" },
        PropertyType.DateTime => (object)new { type = "string", format = "date-time" },
        _ => new { type = "string" },
    };
}
