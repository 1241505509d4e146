using System.Text.Json.Nodes;

namespace Meridian.Tiles.Api;

/// <summary>
/// The OpenAPI 3.0 path items of the tile endpoints (<see cref="TilesApi"/>), merged into <c>/api</c>. The operationIds
/// follow the naming of OGC API - Tiles' own OpenAPI building blocks (getTileMatrixSetsList, .dataset.vector.getTile…).
/// </summary>
internal static class TilesOpenApi
{
    private const string Tile = "/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}";

    public static JsonObject Paths() => new()
    {
        ["/tileMatrixSets"] = Get("getTileMatrixSetsList", "The tile matrix sets", MediaTypes.Json),
        ["/tileMatrixSets/{tileMatrixSetId}"] = Get("getTileMatrixSet", "A tile matrix set's definition", MediaTypes.Json, "tileMatrixSetId"),
        ["/tiles"] = Get(".dataset.vector.getTileSetsList", "Vector tilesets of every collection", MediaTypes.Json),
        ["/tiles/{tileMatrixSetId}"] = Get(".dataset.vector.getTileSet", "A vector tileset of every collection", MediaTypes.Json, "tileMatrixSetId"),
        ["/tiles" + Tile] = Get(".dataset.vector.getTile", "A vector tile of every collection, one layer each", MediaTypes.Mvt,
            "tileMatrixSetId", "tileMatrix", "tileRow", "tileCol"),
        ["/collections/{collectionId}/tiles"] = Get(".collection.vector.getTileSetsList", "Vector tilesets of a collection", MediaTypes.Json, "collectionId"),
        ["/collections/{collectionId}/tiles/{tileMatrixSetId}"] = Get(".collection.vector.getTileSet", "A vector tileset of a collection",
            MediaTypes.Json, "collectionId", "tileMatrixSetId"),
        ["/collections/{collectionId}/tiles" + Tile] = Get(".collection.vector.getTile", "A vector tile of a collection", MediaTypes.Mvt,
            "collectionId", "tileMatrixSetId", "tileMatrix", "tileRow", "tileCol"),
    };

    private static JsonObject Get(string operationId, string summary, string mediaType, params string[] pathParameters) => new()
    {
        ["get"] = new JsonObject
        {
            ["operationId"] = operationId,
            ["tags"] = new JsonArray("Tiles"),
            ["summary"] = summary,
            ["parameters"] = new JsonArray([.. pathParameters.Select(Path)]),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = summary + ".",
                    ["content"] = new JsonObject { [mediaType] = new JsonObject() },
                },
                // A tile outside the matrix, or a collection without tiles.
                ["404"] = new JsonObject { ["description"] = "No such tile matrix set, collection or tile." },
            },
        },
    };

    private static JsonNode Path(string name) => new JsonObject
    {
        ["name"] = name, ["in"] = "path", ["required"] = true,
        ["schema"] = name is "tileMatrix" or "tileRow" or "tileCol"
            ? new JsonObject { ["type"] = "integer", ["minimum"] = 0 }
            : new JsonObject { ["type"] = "string" },
    };
}
