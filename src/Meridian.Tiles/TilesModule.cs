using Meridian.Hosting.Catalog;
using Meridian.Hosting.Health;
using Meridian.Hosting.Modules;
using Meridian.Tiles.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Tiles;

/// <summary>
/// The <c>tiles</c> role: OGC API - Tiles, Mapbox vector tiles of every collection whose store can cut them, in
/// WebMercatorQuad and WorldCRS84Quad, with TileJSON and a MapLibre map for people.
/// </summary>
public sealed class TilesModule : IModule
{
    public string Name => "tiles";

    public static IReadOnlyList<string> ConformanceClasses { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
        // `collections` on the dataset tileset and its tiles: ids or URLs, in the order given (Api/CollectionsSelection).
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/collections-selection",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
    ];

    public void AddServices(IServiceCollection services)
    {
        services.AddCollectionCatalog();
        services.AddCacheReadiness();
    }

    public ApiContribution Contribution => TilesContribution;

    private static readonly ApiContribution TilesContribution = new()
    {
        ConformanceClasses = ConformanceClasses,
        LandingLinks =
        [
            new("/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", "application/json", "The tile matrix sets"),
            new("/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", "application/json", "Vector tiles of every collection"),
        ],
        CollectionLinks =
        [
            new($"/collections/{ApiContribution.CollectionIdToken}/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                "application/json", "vector tiles"),
        ],
        OpenApiPaths = TilesOpenApi.Paths,
    };

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapTilesApi();
}
