using System.Globalization;
using System.Text.Json;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// Turns a written GeoJSON Feature (POST, PUT) or JSON merge patch (PATCH, RFC 7396) into what the store takes,
/// checked against the collection's schema. Every invalid member is reported at once; nothing reaches the store
/// unless all of it is valid. A feature's <c>id</c> is the server's to assign, so one in the body is ignored.
/// </summary>
internal sealed class FeatureInput(CollectionSchema schema, Crs? contentCrs = null)
{
    private static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal) { "type", "id", "geometry", "properties", "bbox", "links" };

    public FeatureRecord ReadFeature(JsonElement root)
    {
        var errors = new InvalidMembers();
        RequireFeatureObject(root, errors);
        Geometry? geometry = null;
        if (root.TryGetProperty("geometry", out var g)) geometry = GeometryInput.Read(g, schema, contentCrs ?? CrsRegistry.Crs84, errors);
        else errors.Add("/geometry", "is missing (a feature without geometry has \"geometry\": null)");

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
            ReadProperties(properties, values, errors);
        foreach (var required in schema.Properties.Where(p => !p.Nullable && values.GetValueOrDefault(p.Name) is null))
        {
            if (!values.ContainsKey(required.Name)) errors.Add(PropertyPointer(required.Name), "is required: the column is not nullable");
        }
        errors.ThrowIfAny("feature");
        return new FeatureRecord(null, geometry, values);
    }

    /// <summary>
    /// A merge patch: members present replace, null members clear, absent members stay. <c>"properties": null</c>
    /// clears every property, as removing the member would.
    /// </summary>
    public FeaturePatch ReadPatch(JsonElement root)
    {
        var errors = new InvalidMembers();
        RequireFeatureObject(root, errors);
        var setsGeometry = root.TryGetProperty("geometry", out var g);
        var geometry = setsGeometry ? GeometryInput.Read(g, schema, contentCrs ?? CrsRegistry.Crs84, errors) : null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind == JsonValueKind.Null)
            {
                foreach (var property in schema.Properties) values[property.Name] = Value(property, properties, errors);
            }
            else
            {
                ReadProperties(properties, values, errors);
            }
        }
        errors.ThrowIfAny("patch");
        return new FeaturePatch(setsGeometry, geometry, values);
    }

    private static void RequireFeatureObject(JsonElement root, InvalidMembers errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"must be a JSON object (a GeoJSON Feature), not {root.ValueKind.ToString().ToLowerInvariant()}");
            errors.ThrowIfAny("feature");
        }
        if (root.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.ValueEquals("Feature")))
        {
            errors.Add("/type", type.ValueKind == JsonValueKind.String && type.ValueEquals("FeatureCollection")
                ? "must be \"Feature\": write one feature per request (bulk loads go through 'meridian ingest')"
                : "must be \"Feature\"");
        }
        foreach (var member in root.EnumerateObject().Where(m => !TopLevel.Contains(m.Name)))
            errors.Add("/" + InvalidMembers.Token(member.Name), "is not a member of a GeoJSON Feature (properties go under \"properties\")");
    }

    private void ReadProperties(JsonElement properties, Dictionary<string, object?> values, InvalidMembers errors)
    {
        if (properties.ValueKind != JsonValueKind.Object)
        {
            errors.Add("/properties", "must be an object or null");
            return;
        }
        foreach (var member in properties.EnumerateObject())
        {
            if (schema.FindProperty(member.Name) is not { } property)
            {
                errors.Add(PropertyPointer(member.Name), $"is not a property of collection '{schema.Id}'");
                continue;
            }
            values[property.Name] = Value(property, member.Value, errors);
        }
    }

    /// <summary>A JSON value as the port's type for the property; records an error and returns null when it does not fit.</summary>
    private static object? Value(PropertySchema property, JsonElement value, InvalidMembers errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!property.Nullable) errors.Add(PropertyPointer(property.Name), "cannot be null: the column is not nullable");
            return null;
        }
        object? converted = (property.Type, value.ValueKind) switch
        {
            (PropertyType.String, JsonValueKind.String) => value.GetString(),
            (PropertyType.Integer, JsonValueKind.Number) when value.TryGetInt64(out var l) => l,
            (PropertyType.Number, JsonValueKind.Number) when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
            (PropertyType.Boolean, JsonValueKind.True or JsonValueKind.False) => value.GetBoolean(),
            (PropertyType.Date, JsonValueKind.String) when DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
            (PropertyType.DateTime, JsonValueKind.String) when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) => time,
            // Other columns (JSON, arrays, …) keep the value's JSON text.
            (PropertyType.Other, _) => value.GetRawText(),
            _ => null,
        };
        if (converted is null) errors.Add(PropertyPointer(property.Name), $"must be {Expected(property.Type)}, not {Describe(value)}");
        // Characters as PostgreSQL counts them (code points), not UTF-16 units.
        else if (property.MaxLength is { } max && converted is string s && s.EnumerateRunes().Count() > max)
            errors.Add(PropertyPointer(property.Name), $"is longer than {max} characters");
        return converted;
    }

    private static string Expected(PropertyType type) => type switch
    {
        PropertyType.String => "a string",
        PropertyType.Integer => "an integer between -2^63 and 2^63-1",
        PropertyType.Number => "a finite number",
        PropertyType.Boolean => "true or false",
        PropertyType.Date => "a date as \"YYYY-MM-DD\"",
        PropertyType.DateTime => "a date-time as RFC 3339 (\"2024-05-01T12:00:00Z\")",
        _ => "a JSON value",
    };

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return $"{value.ValueKind.ToString().ToLowerInvariant()} {(text.Length > 40 ? text[..40] + "…" : text)}";
    }

    private static string PropertyPointer(string name) => "/properties/" + InvalidMembers.Token(name);
}
