using System.Text.Json.Nodes;
using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.Spatial;
using Meridian.Storage.Schema;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Api;

/// <summary>
/// The OpenAPI 3.0 definition at <c>/api</c>, built from the collections actually served: each collection
/// gets its own items path listing its queryable properties as parameters.
/// </summary>
public static class OpenApiDocument
{
    public static JsonObject Build(HttpRequest request, FeaturesOptions options, IReadOnlyList<IFeatureCollection> collections,
        IEnumerable<Hosting.Modules.ApiContribution>? contributions = null)
    {
        var paths = new JsonObject
        {
            // operationIds as OGC's own definitions name these two (clients and test suites look operations up by them).
            ["/"] = Get("Landing page", "Links to the API definition, the conformance declaration and the collections.", MediaTypes.Json, operationId: "getLandingPage"),
            ["/conformance"] = Get("Conformance declaration", "The conformance classes this server implements.", MediaTypes.Json, operationId: "getConformanceClasses"),
            ["/api"] = Get("API definition", "This document.", MediaTypes.OpenApi),
            ["/collections"] = Get("Feature collections", "Every collection with its extent and links.", MediaTypes.Json),
        };
        foreach (var collection in collections)
        {
            var schema = collection.Schema;
            var path = "/collections/" + schema.Id;
            paths[path] = Get($"Collection '{schema.Title}'", "Metadata of the collection.", MediaTypes.Json);
            paths[path + "/queryables"] = Get($"Queryables of '{schema.Title}'",
                "A JSON Schema of the properties that filter, sortby and property parameters may name.", Queryables.MediaType);
            paths[path + "/items"] = Get($"Features of '{schema.Title}'",
                "Features in id order (or sortby's), filtered by bbox, datetime, a CQL2 filter and property values, paged by next/prev links.", MediaTypes.GeoJson,
                ItemsParameters(schema));
            paths[path + "/items/{featureId}"] = Get($"One feature of '{schema.Title}'", "A single feature by id.", MediaTypes.GeoJson, [Ref("featureId"), Ref("crs")]);
        }
        Transactions.TransactionsOpenApi.Add(paths, collections);
        foreach (var contributed in (contributions ?? []).Select(c => c.OpenApiPaths?.Invoke()).OfType<JsonObject>())
        {
            foreach (var (path, item) in contributed) paths[path] = item?.DeepClone();
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = options.Title, ["description"] = options.Description, ["version"] = "1.0.0" },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = Urls.Base(request) }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["parameters"] = Parameters(options),
                ["schemas"] = Schemas(),
                ["securitySchemes"] = Transactions.TransactionsOpenApi.SecuritySchemes(),
            },
        };
    }

    private static JsonObject Get(string summary, string description, string mediaType, JsonNode[]? parameters = null, string? operationId = null)
    {
        JsonNode[] all = [Ref("f"), .. parameters ?? []];
        var schemaRef = mediaType == MediaTypes.GeoJson ? "#/components/schemas/geojson" : "#/components/schemas/document";
        var get = new JsonObject
        {
            ["summary"] = summary,
            ["description"] = description,
            ["parameters"] = new JsonArray(all),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "The resource, as JSON or HTML (f parameter or Accept header).",
                    ["content"] = new JsonObject
                    {
                        [mediaType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = schemaRef } },
                        [MediaTypes.Html] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } },
                    },
                },
                ["400"] = Problem("A parameter is invalid or unknown."),
                ["404"] = Problem("The collection or feature does not exist."),
                ["406"] = Problem("None of the accepted media types is available."),
            },
        };
        if (operationId is not null) get.Insert(0, "operationId", operationId);
        return new JsonObject { ["get"] = get };
    }

    /// <summary>A problem response: application/problem+json, or application/json for a client that rules that out (see ProblemWriter).</summary>
    internal static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            [MediaTypes.Problem] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/problem" } },
            [MediaTypes.Json] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/problem" } },
        },
    };

    /// <summary>
    /// The parameters of a collection's items path besides <c>f</c>: the standard ones, then one per queryable property.
    /// A property named like a standard parameter (a <c>datetime</c> or <c>limit</c> column) cannot be filtered on
    /// by name, since the standard meaning wins, and is left out: OpenAPI 3.0 wants parameter names unique per
    /// operation (/req/oas30/oas-impl).
    /// </summary>
    public static JsonNode[] ItemsParameters(CollectionSchema schema) =>
    [
        Ref("bbox"), Ref("bbox-crs"), Ref("crs"), Ref("datetime"), Ref("limit"), Ref("cursor"), Ref("filter"), Ref("filter-lang"), Ref("filter-crs"),
        Ref("sortby"), Ref("properties"),
        .. schema.Properties.Where(p => p.IsQueryable && !ItemsQueryParser.IsStandardParameter(p.Name)).Select(PropertyParameter),
    ];

    private static JsonObject Ref(string parameter) => new() { ["$ref"] = "#/components/parameters/" + parameter };

    private static JsonNode PropertyParameter(PropertySchema property) => new JsonObject
    {
        ["name"] = property.Name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = $"Only features whose '{property.Name}' equals this value.",
        ["schema"] = PropertyJsonSchema(property.Type),
        ["style"] = "form",
        ["explode"] = false,
    };

    private static JsonObject PropertyJsonSchema(PropertyType type)
    {
        var (jsonType, format) = Queryables.JsonType(type);
        var schema = new JsonObject { ["type"] = jsonType };
        if (format is not null) schema["format"] = format;
        return schema;
    }

    private static JsonObject Parameters(FeaturesOptions options) => new()
    {
        ["f"] = Query("f", "The output format: json or html. Without it the Accept header decides.",
            new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("json", "html") }),
        ["bbox"] = new JsonObject
        {
            ["name"] = "bbox",
            ["in"] = "query",
            ["required"] = false,
            ["description"] = "minLon,minLat,maxLon,maxLat in CRS84 (or 6 numbers with heights), or the lower and upper corner in bbox-crs and its axis order; west > east crosses the antimeridian.",
            ["schema"] = new JsonObject
            {
                ["type"] = "array",
                ["oneOf"] = new JsonArray(new JsonObject { ["minItems"] = 4, ["maxItems"] = 4 }, new JsonObject { ["minItems"] = 6, ["maxItems"] = 6 }),
                ["items"] = new JsonObject { ["type"] = "number" },
            },
            ["style"] = "form",
            ["explode"] = false,
        },
        ["crs"] = Query("crs", "The CRS of the coordinates returned, one of the collection's crs list (CRS84 by default), in its axis order: EPSG:4326 is latitude first.",
            new JsonObject { ["type"] = "string", ["format"] = "uri" }),
        ["bbox-crs"] = Query("bbox-crs", "The CRS bbox is given in, one of the collection's crs list (CRS84 by default).",
            new JsonObject { ["type"] = "string", ["format"] = "uri" }),
        ["datetime"] = Query("datetime", "An RFC 3339 date, date-time or interval (start/end, '..' for an open end), applied to the collection's time property.",
            new JsonObject { ["type"] = "string" }),
        ["limit"] = Query("limit", $"Features per page; larger values are lowered to {options.MaxLimit}.",
            new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = options.MaxLimit, ["default"] = options.DefaultLimit }),
        ["cursor"] = Query("cursor", "Opaque paging position; use the next and prev links as they are.", new JsonObject { ["type"] = "string" }),
        ["filter"] = Query("filter", "A CQL2 filter on the queryables (see the collection's queryables link); cql2-text unless filter-lang says otherwise.",
            new JsonObject { ["type"] = "string" }),
        ["filter-lang"] = Query("filter-lang", "The language of filter.",
            new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(FilterParameters.Text, FilterParameters.Json), ["default"] = FilterParameters.Text }),
        ["filter-crs"] = Query("filter-crs", "The CRS of the filter's geometries, one of the collection's crs list (CRS84 by default), in its axis order: EPSG:4326 is latitude first.",
            new JsonObject { ["type"] = "string", ["format"] = "uri", ["default"] = CrsRegistry.Crs84Uri }),
        ["sortby"] = Query("sortby", "Queryables to order by, comma-separated, each with + (ascending, the default) or - (descending); nulls come last.",
            new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
        ["properties"] = Query("properties", "The properties each feature carries, comma-separated; the others are left out.",
            new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } }),
        ["featureId"] = new JsonObject
        {
            ["name"] = "featureId",
            ["in"] = "path",
            ["required"] = true,
            ["description"] = "The feature's id.",
            ["schema"] = new JsonObject { ["type"] = "string" },
        },
    };

    private static JsonObject Query(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
        ["style"] = "form",
        ["explode"] = false,
    };

    private static JsonObject Schemas() => new()
    {
        ["document"] = new JsonObject { ["type"] = "object" },
        ["geojson"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("type"),
            ["properties"] = new JsonObject { ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Feature", "FeatureCollection") } },
        },
        ["problem"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string" },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "integer" },
                ["detail"] = new JsonObject { ["type"] = "string" },
            },
        },
    };
}
