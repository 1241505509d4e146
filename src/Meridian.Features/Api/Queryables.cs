using Meridian.Storage.Schema;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Api;

/// <summary>
/// <c>/collections/{id}/queryables</c> (OGC API - Features Part 3): a JSON Schema 2020-12 document of what
/// filters, <c>sortby</c> and property parameters may name. The geometry is listed under its store name with a
/// <c>geometry-…</c> format and the primary-geometry role; <c>geometry</c> is accepted for it as well.
/// </summary>
public static class Queryables
{
    public const string Rel = "http://www.opengis.net/def/rel/ogc/1.0/queryables";
    public const string MediaType = "application/schema+json";
    public const string JsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema";

    public static string Path(string collectionId) => $"/collections/{Uri.EscapeDataString(collectionId)}/queryables";

    public static Dictionary<string, object> Build(HttpRequest request, CollectionSchema schema)
    {
        var properties = new Dictionary<string, object>
        {
            [schema.GeometryName] = new Dictionary<string, object>
            {
                ["title"] = "Geometry",
                ["format"] = GeometryFormat(schema.GeometryType),
                ["x-ogc-role"] = "primary-geometry",
            },
        };
        foreach (var property in schema.Properties.Where(p => p.IsQueryable))
            properties[property.Name] = Describe(property);
        return new Dictionary<string, object>
        {
            ["$schema"] = JsonSchemaDialect,
            ["$id"] = Urls.To(request, Path(schema.Id)),
            ["type"] = "object",
            ["title"] = schema.Title,
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    private static Dictionary<string, object> Describe(PropertySchema property)
    {
        var description = new Dictionary<string, object> { ["title"] = property.Name };
        var (type, format) = JsonType(property.Type);
        description["type"] = type;
        if (format is not null) description["format"] = format;
        return description;
    }

    /// <summary>The JSON Schema type and format of a property type (dates and timestamps are formatted strings).</summary>
    public static (string Type, string? Format) JsonType(PropertyType type) => type switch
    {
        PropertyType.Integer => ("integer", null),
        PropertyType.Number => ("number", null),
        PropertyType.Boolean => ("boolean", null),
        PropertyType.Date => ("string", "date"),
        PropertyType.DateTime => ("string", "date-time"),
        _ => ("string", null),
    };

    private static string GeometryFormat(GeometryKind kind) => kind switch
    {
        GeometryKind.Geometry => "geometry-any",
        _ => "geometry-" + kind.ToString().ToLowerInvariant(),
    };
}
