using System.Text.Json.Nodes;
using Meridian.Storage;
using Meridian.Storage.Writing;

namespace Meridian.Features.Api.Transactions;

/// <summary>The OpenAPI operations of <see cref="TransactionsApi"/>, added to the paths <see cref="OpenApiDocument"/> builds.</summary>
internal static class TransactionsOpenApi
{
    private static readonly JsonObject Security = new() { ["apiKey"] = new JsonArray(), ["bearer"] = new JsonArray() };

    public static void Add(JsonObject paths, IReadOnlyList<IFeatureCollection> collections)
    {
        Operations(paths, "/collections")["post"] = Operation("Create a collection",
            "Creates an empty collection from {id, title, description, geometryType, crs, properties (JSON Schema), required}.",
            Body(new JsonObject { ["type"] = "object", ["required"] = new JsonArray("id", "geometryType") }, "application/json"),
            ("201", "Created; Location names the collection."), ("409", "A collection of that id exists."));
        foreach (var collection in collections.OfType<IWritableFeatureCollection>())
        {
            var path = "/collections/" + collection.Schema.Id;
            var feature = FeatureSchema.Build(collection.Schema, openApi: true);
            Operations(paths, path)["delete"] = Operation("Delete the collection", "Deletes the collection and all its features.", null,
                ("204", "Deleted."));
            Operations(paths, path + "/items")["post"] = WithContentCrs(Operation($"Create a feature in '{collection.Schema.Title}'",
                "Adds one GeoJSON Feature; the server assigns its id.", Body(feature, MediaTypes.GeoJson, MediaTypes.Json),
                ("201", "Created; Location names the feature, ETag is its tag.")));
            var item = Operations(paths, path + "/items/{featureId}");
            item["parameters"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/parameters/featureId" });
            item["put"] = WithContentCrs(Operation("Replace a feature", "Replaces the geometry and every property; If-Match makes it conditional.",
                Body(feature, MediaTypes.GeoJson, MediaTypes.Json), ("204", "Replaced; ETag is the new tag."), ("412", "If-Match does not match.")));
            item["patch"] = WithContentCrs(Operation("Update a feature", "Applies a JSON merge patch (RFC 7396) to the geometry and properties.",
                Body(new JsonObject { ["type"] = "object" }, TransactionsApi.MergePatch, MediaTypes.Json), ("204", "Updated; ETag is the new tag."),
                ("412", "If-Match does not match.")));
            item["delete"] = Operation("Delete a feature", "Deletes the feature; If-Match makes it conditional.", null,
                ("204", "Deleted."), ("412", "If-Match does not match."));
        }
    }

    /// <summary>The request header naming the CRS of the body's geometry (OGC 20-002r1 9.5, with Part 2).</summary>
    private static JsonObject WithContentCrs(JsonObject operation)
    {
        operation["parameters"] = new JsonArray(new JsonObject
        {
            ["name"] = CrsParameters.ContentCrsHeader,
            ["in"] = "header",
            ["required"] = false,
            ["description"] = "The CRS of the geometry's positions, in its axis order, as <uri>; CRS84 when absent.",
            ["schema"] = new JsonObject { ["type"] = "string" },
        });
        return operation;
    }

    public static JsonObject SecuritySchemes() => new()
    {
        ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = Hosting.Security.WriteAccess.ApiKeyHeader },
        ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer" },
    };

    private static JsonObject Operations(JsonObject paths, string path)
    {
        if (paths[path] is JsonObject existing) return existing;
        var created = new JsonObject();
        paths[path] = created;
        return created;
    }

    private static JsonObject Body(JsonObject schema, params string[] mediaTypes)
    {
        var content = new JsonObject();
        foreach (var type in mediaTypes) content[type] = new JsonObject { ["schema"] = schema.DeepClone() };
        return new JsonObject { ["required"] = true, ["content"] = content };
    }

    private static JsonObject Operation(string summary, string description, JsonObject? body, params (string Status, string Description)[] outcomes)
    {
        var responses = new JsonObject();
        foreach (var (status, text) in outcomes) responses[status] = new JsonObject { ["description"] = text };
        foreach (var (status, text) in Common) responses[status] ??= OpenApiDocument.Problem(text);
        var operation = new JsonObject
        {
            ["summary"] = summary,
            ["description"] = description,
            ["security"] = new JsonArray(Security.DeepClone()),
            ["responses"] = responses,
        };
        if (body is not null) operation["requestBody"] = body;
        return operation;
    }

    private static readonly (string Status, string Description)[] Common =
    [
        ("400", "The body is malformed or invalid; errors lists every invalid member."),
        ("401", "No API key, or a wrong one."),
        ("403", "The server has no write credential configured."),
        ("404", "No such collection or feature."),
        ("409", "The store refused the change (a constraint)."),
        ("413", "The body is larger than Features:MaxWriteBytes."),
        ("415", "The body is not of an accepted media type."),
        ("428", "If-Match is required (Features:RequireIfMatch)."),
    ];
}
