using System.Text.Json.Nodes;
using Meridian.Storage.Schema;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// What a collection accepts when a feature is created or replaced, as a schema of the GeoJSON Feature: its
/// geometry type and each property with its type and nullability. Served in the OpenAPI document (OpenAPI 3.0
/// dialect, <c>nullable</c>) and at <c>/collections/{id}/schema</c> (JSON Schema 2020-12, <c>type</c> arrays).
/// </summary>
public static class FeatureSchema
{
    /// <param name="schemaUri">
    /// The absolute URI the schema is served at, its <c>$id</c> (JSON Schema 2020-12 resolves a relative one against
    /// the retrieval URI, which would name another resource); null in the OpenAPI document, which has no <c>$id</c>.
    /// </param>
    public static JsonObject Build(CollectionSchema schema, bool openApi, string? schemaUri = null)
    {
        var properties = new JsonObject();
        foreach (var property in schema.Properties) properties[property.Name] = Property(property, openApi);
        var dimension = schema.HasZ ? " Every position has a height: [x, y, z]." : " Positions have no height: [x, y].";
        var geometry = new JsonObject
        {
            ["description"] = (schema.GeometryType == GeometryKind.Geometry
                ? "Any GeoJSON geometry in CRS84 (or the request's Content-Crs), or null."
                : $"A GeoJSON {schema.GeometryType} in CRS84 (or the request's Content-Crs), or null.") + dimension,
        };
        Nullable(geometry, "object", openApi);
        if (schema.GeometryType != GeometryKind.Geometry)
            geometry["properties"] = new JsonObject { ["type"] = new JsonObject { ["enum"] = new JsonArray(schema.GeometryType.ToString()) } };
        var document = new JsonObject
        {
            ["title"] = schema.Title,
            ["type"] = "object",
            ["required"] = new JsonArray("type", "geometry"),
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("Feature") },
                ["geometry"] = geometry,
                ["properties"] = PropertiesObject(schema, properties),
            },
        };
        if (!openApi)
        {
            document.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
            document.Insert(1, "$id", schemaUri ?? schema.Id);
        }
        return document;
    }

    private static JsonObject PropertiesObject(CollectionSchema schema, JsonObject properties)
    {
        var node = new JsonObject { ["type"] = "object", ["additionalProperties"] = false };
        // OpenAPI 3.0's Schema Object keeps JSON Schema draft 4's rule that "required" has at least one name: an
        // empty array makes the whole /api document invalid (OGC API - Features /req/oas30/oas-impl), so it is left out.
        var required = schema.Properties.Where(p => !p.Nullable).Select(p => (JsonNode)p.Name).ToArray();
        if (required.Length > 0) node["required"] = new JsonArray(required);
        node["properties"] = properties;
        return node;
    }

    private static JsonObject Property(PropertySchema property, bool openApi)
    {
        var (type, format) = property.Type switch
        {
            PropertyType.Integer => ("integer", null),
            PropertyType.Number => ("number", null),
            PropertyType.Boolean => ("boolean", null),
            PropertyType.Date => ("string", "date"),
            PropertyType.DateTime => ("string", "date-time"),
            PropertyType.String => ("string", (string?)null),
            _ => (null, null),
        };
        var node = new JsonObject();
        if (type is null) return node; // any JSON value
        if (property.Nullable) Nullable(node, type, openApi);
        else node["type"] = type;
        if (format is not null) node["format"] = format;
        if (property.MaxLength is { } max) node["maxLength"] = max;
        return node;
    }

    private static void Nullable(JsonObject node, string type, bool openApi)
    {
        if (openApi)
        {
            node["type"] = type;
            node["nullable"] = true;
        }
        else
        {
            node["type"] = new JsonArray(type, "null");
        }
    }
}
