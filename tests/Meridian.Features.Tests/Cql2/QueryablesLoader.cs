using System.Text.Json;
using Meridian.Storage.Schema;
using Meridian.Testing;

namespace Meridian.Features.Tests.Cql2;

/// <summary>
/// Reads a collection's queryables (a JSON Schema, as <c>/collections/{id}/queryables</c> publishes them) into a
/// <see cref="CollectionSchema"/>: "type" string/integer/number/boolean, "format" date/date-time, and a
/// GeoJSON "$ref" for the geometry, whose name is returned beside the schema.
/// </summary>
public static class QueryablesLoader
{
    public sealed record Queryables(CollectionSchema Schema, string? GeometryName);

    /// <summary>The queryables of one layer of the CQL2 test dataset (naturalearth/cql2/{collection}.queryables.json).</summary>
    public static Queryables LoadTestDataset(string collection) =>
        Load(File.ReadAllText(TestData.Path($"naturalearth/cql2/{collection}.queryables.json")));

    public static Queryables Load(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var id = root.TryGetProperty("title", out var title) ? title.GetString()! : "collection";
        var properties = new List<PropertySchema>();
        string? geometryName = null;
        var geometryKind = GeometryKind.Geometry;
        foreach (var member in root.GetProperty("properties").EnumerateObject())
        {
            var definition = member.Value;
            if (definition.TryGetProperty("$ref", out var reference) && reference.GetString() is { } uri
                && uri.Contains("geojson.org/schema/", StringComparison.OrdinalIgnoreCase))
            {
                geometryName = member.Name;
                geometryKind = GeometryKinds.Parse(Path.GetFileNameWithoutExtension(uri));
                continue;
            }
            var type = definition.TryGetProperty("type", out var t) ? t.GetString() : null;
            var format = definition.TryGetProperty("format", out var f) ? f.GetString() : null;
            properties.Add(new PropertySchema(member.Name, (type, format) switch
            {
                ("string", "date") => PropertyType.Date,
                ("string", "date-time") => PropertyType.DateTime,
                ("string", _) => PropertyType.String,
                ("integer", _) => PropertyType.Integer,
                ("number", _) => PropertyType.Number,
                ("boolean", _) => PropertyType.Boolean,
                _ => PropertyType.Other,
            }));
        }
        var schema = new CollectionSchema(id, id, null, geometryKind, 4326, FeatureIdKind.Integer, properties, null);
        return new Queryables(schema, geometryName);
    }
}
