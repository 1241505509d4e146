using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Telemetry;
using Meridian.Storage;
using Meridian.Storage.Tiles;
using Meridian.Tiles.Tiling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Meridian.Tiles.Api;

/// <summary>
/// OGC API - Tiles Part 1 with Mapbox vector tiles: every route of the module, then one handler per route.
/// Tile paths are <c>{tileMatrix}/{tileRow}/{tileCol}</c> as the standard orders them, i.e. z/y/x.
/// </summary>
public static class TilesApi
{
    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder endpoints)
    {
        // Everything is metadata for HTTP caching except the tiles themselves; HEAD answers as GET does.
        var api = endpoints.MapGroup("").WithTags("Tiles").CacheAs(CacheKind.Metadata);
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        api.MapMethods("/tileMatrixSets", read, TileMatrixSets).WithName("tileMatrixSets");
        api.MapMethods("/tileMatrixSets/{tileMatrixSetId}", read, TileMatrixSetDefinition).WithName("tileMatrixSet");
        api.MapMethods("/tiles", read, DatasetTilesets).WithName("datasetTilesets");
        api.MapMethods("/tiles/{tileMatrixSetId}", read, DatasetTileset).WithName("datasetTileset");
        api.MapMethods("/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", read, DatasetTile).WithName("datasetTile").CacheAs(CacheKind.Tiles);
        api.MapMethods("/collections/{collectionId}/tiles", read, CollectionTilesets).WithName("collectionTilesets");
        api.MapMethods("/collections/{collectionId}/tiles/{tileMatrixSetId}", read, CollectionTileset).WithName("collectionTileset");
        api.MapMethods("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", read, CollectionTile).WithName("collectionTile").CacheAs(CacheKind.Tiles);
        api.MapMethods(MapPage.AssetsPath + "/{file}", read, MapPage.AssetAsync).WithName("mapAssets").ExcludeFromDescription();
        return endpoints;
    }

    private const string DatasetTitle = "All collections";

    private static TilesOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<MeridianOptions>().Tiles;

    private static async Task TileMatrixSets(HttpContext context)
    {
        Metadata(context.Request);
        await Json.WriteAsync(context, TileDocuments.TileMatrixSetList(context.Request));
    }

    private static async Task TileMatrixSetDefinition(HttpContext context, string tileMatrixSetId)
    {
        var set = FindSet(tileMatrixSetId);
        Metadata(context.Request);
        await Json.WriteAsync(context, TileDocuments.TileMatrixSetDefinition(context.Request, set));
    }

    private static async Task DatasetTilesets(HttpContext context)
    {
        Metadata(context.Request);
        await Json.WriteAsync(context, TileDocuments.TilesetList(context.Request, "/tiles", DatasetTitle));
    }

    private static async Task DatasetTileset(HttpContext context, string tileMatrixSetId, CollectionCatalog catalog)
    {
        var set = FindSet(tileMatrixSetId);
        var format = Metadata(context.Request, set == TileMatrixSet.WebMercatorQuad, CollectionsSelection.Parameter);
        var layers = CollectionsSelection.Select(context.Request, await TiledAsync(catalog, context.RequestAborted));
        await WriteTilesetAsync(context, format, "/tiles", set, DatasetTitle, "Every collection, one layer each", layers, null,
            CollectionsSelection.Query(context.Request, layers));
    }

    private static async Task CollectionTilesets(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var collection = await TiledAsync(catalog, collectionId, context.RequestAborted);
        Metadata(context.Request);
        await Json.WriteAsync(context, TileDocuments.TilesetList(context.Request, CollectionPath(collectionId) + "/tiles", collection.Schema.Title));
    }

    private static async Task CollectionTileset(HttpContext context, string collectionId, string tileMatrixSetId, CollectionCatalog catalog)
    {
        var collection = await TiledAsync(catalog, collectionId, context.RequestAborted);
        var set = FindSet(tileMatrixSetId);
        var format = Metadata(context.Request, set == TileMatrixSet.WebMercatorQuad);
        await WriteTilesetAsync(context, format, CollectionPath(collectionId) + "/tiles", set, collection.Schema.Title,
            collection.Schema.Description, [collection], CollectionPath(collectionId), QueryString.Empty);
    }

    /// <summary>
    /// Writes tileset metadata in the chosen format. <paramref name="selection"/> is the query every link to this tileset
    /// and its tiles carries (the dataset tileset's <c>collections</c>), so that they show the same layers.
    /// </summary>
    private static async Task WriteTilesetAsync(HttpContext context, MetadataFormat format, string basePath, TileMatrixSet set, string title,
        string? description, IReadOnlyList<IFeatureCollection> layers, string? collectionPath, QueryString selection)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var tileset = new TilesetPath($"{basePath}/{set.Id}", selection);
        switch (format)
        {
            case MetadataFormat.TileJson:
                await Json.WriteAsync(context, await TileDocuments.TileJsonAsync(request, tileset, title, description, layers, ct));
                return;
            case MetadataFormat.Html:
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(MapPage.Render(request, title, layers.Select(l => l.Schema), tileset.Url(request, "tilejson")), ct);
                return;
            default:
                await Json.WriteAsync(context, await TileDocuments.TilesetAsync(request, tileset, set, title, description, layers, collectionPath, ct));
                return;
        }
    }

    private static async Task CollectionTile(HttpContext context, string collectionId, string tileMatrixSetId, string tileMatrix,
        string tileRow, string tileCol, CollectionCatalog catalog)
    {
        var collection = await TiledAsync(catalog, collectionId, context.RequestAborted);
        var set = FindSet(tileMatrixSetId);
        var tile = TileAddress.Parse(set, tileMatrix, tileRow, tileCol);
        var request = context.Request;
        Allow(request, "f", "properties");
        AcceptMvt(request);
        var tileRequest = RequestFor(Options(context), set, tile, Properties(request));
        try
        {
            tileRequest.SelectProperties(collection.Schema);
        }
        catch (ArgumentException e)
        {
            throw ProblemException.InvalidParameter("properties", e.Message);
        }
        context.RequestServices.GetRequiredService<GeospatialMetrics>().SpatialQuery("tile");
        var bytes = await ((IVectorTileSource)collection).GetTileAsync(tileRequest, context.RequestAborted);
        await WriteTileAsync(context, bytes);
    }

    /// <summary>Every collection (or those named by <c>collections</c>) as one layer each of a single tile.</summary>
    private static async Task DatasetTile(HttpContext context, string tileMatrixSetId, string tileMatrix, string tileRow, string tileCol,
        CollectionCatalog catalog)
    {
        var set = FindSet(tileMatrixSetId);
        var tile = TileAddress.Parse(set, tileMatrix, tileRow, tileCol);
        var request = context.Request;
        Allow(request, "f", CollectionsSelection.Parameter);
        AcceptMvt(request);
        var layers = CollectionsSelection.Select(request, await TiledAsync(catalog, context.RequestAborted));
        var tileRequest = RequestFor(Options(context), set, tile, null);
        var metrics = context.RequestServices.GetRequiredService<GeospatialMetrics>();
        using var body = new MemoryStream();
        // An MVT tile is a sequence of layers: the stores' one-layer tiles simply follow one another.
        foreach (var layer in layers)
        {
            metrics.SpatialQuery("tile");
            var bytes = await ((IVectorTileSource)layer).GetTileAsync(tileRequest, context.RequestAborted);
            body.Write(bytes);
        }
        await WriteTileAsync(context, body.ToArray());
    }

    internal static TileRequest RequestFor(TilesOptions options, TileMatrixSet set, TileAddress tile, IReadOnlyList<string>? properties) => new()
    {
        Bounds = set.TileBounds(tile),
        Srid = set.Srid,
        Extent = options.Extent,
        Buffer = options.Buffer,
        Limit = options.MaxFeatures,
        Properties = properties,
        // The same number of grid units at every level: in CRS units it halves with each zoom level.
        Tolerance = options.Simplification * set.TileSpan(tile.Zoom) / options.Extent,
    };

    /// <summary>A tile with content is a 200; an empty one a 204, whatever the store, as /req/core/tc-error allows.</summary>
    private static async Task WriteTileAsync(HttpContext context, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        context.Response.ContentType = MediaTypes.Mvt;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static string CollectionPath(string collectionId) => $"/collections/{Urls.Escape(collectionId)}";

    private static TileMatrixSet FindSet(string id) => TileMatrixSet.Find(id)
        ?? throw ProblemException.NotFound($"There is no tile matrix set '{id}' (known: {string.Join(", ", TileMatrixSet.All.Select(t => t.Id))}).");

    private static async Task<IFeatureCollection> TiledAsync(CollectionCatalog catalog, string collectionId, CancellationToken ct)
    {
        var collection = await catalog.GetAsync(collectionId, ct);
        return collection is IVectorTileSource ? collection : throw ProblemException.NotFound($"Collection '{collectionId}' has no tiles.");
    }

    private static async Task<IReadOnlyList<IFeatureCollection>> TiledAsync(CollectionCatalog catalog, CancellationToken ct) =>
        (await catalog.ListAsync(ct)).Where(c => c is IVectorTileSource).ToList();

    /// <summary>The <c>properties</c> list; absent is null, empty is an empty list.</summary>
    private static List<string>? Properties(HttpRequest request) =>
        request.Query.TryGetValue("properties", out var value)
            ? value.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : null;

    private enum MetadataFormat
    {
        Json,
        TileJson,
        Html,
    }

    /// <summary>
    /// Checks a metadata request's parameters and chooses its format: <c>f=json</c> (the default),
    /// <c>f=tilejson</c> and <c>f=html</c> (a map) where offered, else from the Accept header. 406 when nothing fits.
    /// <paramref name="parameters"/> are the resource's own parameters besides <c>f</c>.
    /// </summary>
    private static MetadataFormat Metadata(HttpRequest request, bool webMercatorTileset = false, params string[] parameters)
    {
        Allow(request, ["f", .. parameters]);
        if (request.Query.TryGetValue("f", out var f))
        {
            return f.ToString().ToLowerInvariant() switch
            {
                "json" or "application/json" => MetadataFormat.Json,
                "tilejson" when webMercatorTileset => MetadataFormat.TileJson,
                "html" or "text/html" when webMercatorTileset => MetadataFormat.Html,
                var other => throw ProblemException.NotAcceptable(webMercatorTileset
                    ? $"Format '{other}' is not available here: use f=json, f=tilejson or f=html."
                    : $"Format '{other}' is not available here: use f=json (TileJSON and maps are offered for WebMercatorQuad tilesets)."),
            };
        }
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0) return MetadataFormat.Json;
        foreach (var media in accepted.Where(m => (m.Quality ?? 1) > 0).OrderByDescending(m => m.Quality ?? 1))
        {
            switch (media.MediaType.Value?.ToLowerInvariant())
            {
                case "text/html" when webMercatorTileset:
                    return MetadataFormat.Html;
                case "application/vnd.mapbox.tile+json" when webMercatorTileset:
                    return MetadataFormat.TileJson;
                case "application/json" or "application/*" or "*/*":
                    return MetadataFormat.Json;
            }
        }
        throw ProblemException.NotAcceptable("None of the accepted media types is available: this resource is application/json.");
    }

    /// <summary>Tiles are Mapbox vector tiles only: <c>f=mvt</c>, or an Accept header that takes them.</summary>
    private static void AcceptMvt(HttpRequest request)
    {
        if (request.Query.TryGetValue("f", out var f))
        {
            if (!string.Equals(f.ToString(), "mvt", StringComparison.OrdinalIgnoreCase) && f.ToString() != MediaTypes.Mvt)
                throw ProblemException.NotAcceptable($"Format '{f}' is not available here: tiles are {MediaTypes.Mvt} (f=mvt).");
            return;
        }
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) || accepted.Count == 0) return;
        var takes = accepted.Any(m => (m.Quality ?? 1) > 0 && m.MediaType.Value?.ToLowerInvariant()
            is MediaTypes.Mvt or "application/x-protobuf" or "application/vnd.mapbox-vector-tile" or "application/*" or "*/*");
        if (!takes) throw ProblemException.NotAcceptable($"None of the accepted media types is available: tiles are {MediaTypes.Mvt}.");
    }

    /// <summary>Parameters this resource does not know, or give twice, are mistakes worth reporting.</summary>
    private static void Allow(HttpRequest request, params string[] names)
    {
        foreach (var (name, values) in request.Query)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
                throw ProblemException.InvalidParameter(name, $"'{name}' is not a parameter of this resource.");
            if (values.Count > 1) throw ProblemException.InvalidParameter(name, $"'{name}' is given more than once.");
        }
    }
}
