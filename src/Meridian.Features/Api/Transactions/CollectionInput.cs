using System.Text.Json;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// The body of <c>POST /collections</c>: <c>id</c>, <c>title</c>, <c>description</c>, <c>geometryType</c>, <c>crs</c>
/// (the storage CRS, EPSG:4326 or EPSG:3857) and <c>properties</c>, a JSON Schema object of properties (types
/// string, integer, number, boolean; string formats date and date-time; array and object kept as JSON), with
/// <c>required</c> naming the properties that cannot be null. Every mistake is reported at once.
/// </summary>
internal static class CollectionInput
{
    private static readonly HashSet<string> Members = new(StringComparer.Ordinal)
        { "id", "title", "description", "geometryType", "crs", "properties", "required" };

    // The id and geometry columns the stores add; a property of the same name would collide with them.
    /// <summary>Below both stores' column limits (SQLite 2,000, PostgreSQL 1,600) with room for the id and geometry columns.</summary>
    public const int MaxProperties = 1000;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase) { "fid", "geom" };

    public static CollectionSchema Read(JsonElement root)
    {
        var errors = new InvalidMembers();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "must be a JSON object");
            errors.ThrowIfAny("collection");
        }
        foreach (var member in root.EnumerateObject().Where(m => !Members.Contains(m.Name)))
            errors.Add("/" + InvalidMembers.Token(member.Name), $"is not a member of a collection definition (known: {string.Join(", ", Members)})");

        var id = String(root, "id", errors, required: true);
        if (id is not null && !CollectionIds.IsSafe(id))
            errors.Add("/id", "must be 1-63 ASCII letters, digits, '_' or '-', starting with a letter or '_'");
        else if (id is not null && CollectionIds.IsReserved(id))
            errors.Add("/id", "must not start with 'gpkg_' or 'sqlite_': GeoPackage and SQLite keep those table names");
        var title = String(root, "title", errors) ?? id ?? "";
        var description = String(root, "description", errors);
        var (geometryType, hasZ) = GeometryType(String(root, "geometryType", errors, required: true), errors);
        var srid = Srid(String(root, "crs", errors), errors);
        var required = Required(root, errors);
        var properties = Properties(root, required, errors);
        errors.ThrowIfAny("collection");

        var temporal = properties.FirstOrDefault(p => p.Type is PropertyType.Date or PropertyType.DateTime)?.Name;
        return new CollectionSchema(id!, title, description, geometryType, srid, FeatureIdKind.Integer, properties, temporal) { HasZ = hasZ };
    }

    private static string? String(JsonElement root, string name, InvalidMembers errors, bool required = false)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add("/" + name, "is required");
            return null;
        }
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors.Add("/" + name, "must be a string");
        return null;
    }

    /// <summary>A geometry type name, with a Z after it (PointZ, as WKT and PostGIS write it) for geometries with heights.</summary>
    private static (GeometryKind Kind, bool HasZ) GeometryType(string? name, InvalidMembers errors)
    {
        if (name is null) return (GeometryKind.Geometry, false);
        var hasZ = name.Length > 1 && name[^1] is 'Z' or 'z';
        var bare = hasZ ? name[..^1] : name;
        var kind = Enum.GetValues<GeometryKind>().Where(k => string.Equals(k.ToString(), bare, StringComparison.OrdinalIgnoreCase)).ToList();
        if (kind.Count == 1) return (kind[0], hasZ);
        errors.Add("/geometryType", $"must be one of {string.Join(", ", Enum.GetNames<GeometryKind>())}, or one of them followed by Z (PointZ) for geometries with heights");
        return (GeometryKind.Geometry, false);
    }

    private static int Srid(string? crs, InvalidMembers errors) => crs?.Trim() switch
    {
        null or "EPSG:4326" or "http://www.opengis.net/def/crs/EPSG/0/4326" or "http://www.opengis.net/def/crs/OGC/1.3/CRS84" => GeometryServices.Crs84Srid,
        "EPSG:3857" or "http://www.opengis.net/def/crs/EPSG/0/3857" => WebMercator.Srid,
        _ => Invalid(errors, "/crs", "must be EPSG:4326 (the default) or EPSG:3857", GeometryServices.Crs84Srid),
    };

    private static HashSet<string> Required(JsonElement root, InvalidMembers errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("required", out var required)) return names;
        if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            errors.Add("/required", "must be an array of property names");
            return names;
        }
        foreach (var name in required.EnumerateArray()) names.Add(name.GetString()!);
        return names;
    }

    private static List<PropertySchema> Properties(JsonElement root, HashSet<string> required, InvalidMembers errors)
    {
        var properties = new List<PropertySchema>();
        if (!root.TryGetProperty("properties", out var definitions)) return properties;
        if (definitions.ValueKind != JsonValueKind.Object)
        {
            errors.Add("/properties", "must be an object of property schemas");
            return properties;
        }
        if (definitions.GetPropertyCount() > MaxProperties)
        {
            errors.Add("/properties", $"defines {definitions.GetPropertyCount()} properties; a collection has at most {MaxProperties}");
            return properties;
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in definitions.EnumerateObject())
        {
            var pointer = "/properties/" + InvalidMembers.Token(definition.Name);
            if (!CollectionIds.IsSafe(definition.Name) || definition.Name.Contains('-', StringComparison.Ordinal))
                errors.Add(pointer, "a property name must be 1-63 ASCII letters, digits or '_', starting with a letter or '_'");
            else if (ReservedNames.Contains(definition.Name))
                errors.Add(pointer, $"'{definition.Name}' is the name of the id or geometry column");
            else if (!seen.Add(definition.Name))
                errors.Add(pointer, "another property has this name (names are compared ignoring case)");
            if (TypeOf(definition.Value) is { } type)
                properties.Add(new PropertySchema(definition.Name, type, !required.Contains(definition.Name), MaxLength(definition.Value, type, pointer, errors)));
            else
                errors.Add(pointer, "must be a JSON Schema with type string (format date or date-time allowed), integer, number, boolean, array or object");
        }
        foreach (var name in required.Where(n => properties.All(p => p.Name != n)))
            errors.Add("/required", $"names '{name}', which is not among the properties");
        return properties;
    }

    private static PropertyType? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return null;
        var format = schema.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        return (type.GetString(), format) switch
        {
            ("string", "date") => PropertyType.Date,
            ("string", "date-time") => PropertyType.DateTime,
            ("string", _) => PropertyType.String,
            ("integer", _) => PropertyType.Integer,
            ("number", _) => PropertyType.Number,
            ("boolean", _) => PropertyType.Boolean,
            ("array" or "object", _) => PropertyType.Other,
            _ => null,
        };
    }

    /// <summary>A string property's <c>maxLength</c>: the stores keep it as varchar(n) or TEXT(n), and writes are checked against it.</summary>
    private static int? MaxLength(JsonElement schema, PropertyType type, string pointer, InvalidMembers errors)
    {
        if (!schema.TryGetProperty("maxLength", out var value)) return null;
        if (type == PropertyType.String && value.TryGetInt32(out var length) && length is > 0 and <= MaxStringLength) return length;
        errors.Add(pointer + "/maxLength", $"must be an integer from 1 to {MaxStringLength}, on a string property");
        return null;
    }

    // PostgreSQL's own limit for varchar(n).
    private const int MaxStringLength = 10_485_760;

    private static T Invalid<T>(InvalidMembers errors, string pointer, string detail, T fallback)
    {
        errors.Add(pointer, detail);
        return fallback;
    }
}
