using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Features.Formats;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library;

/// <summary>
/// GeoJSON in and out of processes: inline inputs (a FeatureCollection, a Feature or a bare geometry) read into
/// features with a schema inferred from their properties, and feature streams written as a FeatureCollection.
/// </summary>
public static class GeoJsonFeatures
{
    public const string MediaType = "application/geo+json";

    private static readonly string[] GeometryTypes =
        ["Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"];

    /// <summary>Reads inline GeoJSON; anything that is not valid GeoJSON in CRS84 is an error naming <paramref name="input"/>.</summary>
    public static FeatureSet Read(string input, JsonObject geoJson)
    {
        var type = (geoJson["type"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? geoJson["type"]!.GetValue<string>() : null;
        var features = type switch
        {
            "FeatureCollection" => (geoJson["features"] as JsonArray ?? throw new ProcessInputException(input, $"'{input}': a FeatureCollection needs a 'features' array."))
                .Select((f, i) => f as JsonObject ?? throw new ProcessInputException(input, $"'{input}': features[{i}] is not an object.")).ToList(),
            "Feature" => [geoJson],
            _ when GeometryTypes.Contains(type) => [new JsonObject { ["type"] = "Feature", ["geometry"] = geoJson.DeepClone(), ["properties"] = null }],
            _ => throw new ProcessInputException(input,
                $"'{input}' must be GeoJSON (a FeatureCollection, Feature or geometry), {{\"collection\": ID}} or {{\"object\": KEY}}."),
        };
        var records = new List<(string? Id, Geometry Geometry, JsonObject? Properties)>(features.Count);
        for (var i = 0; i < features.Count; i++)
        {
            var where = type == "FeatureCollection" ? $"'{input}' features[{i}]" : $"'{input}'";
            records.Add((IdOf(features[i]["id"]), ReadGeometry(input, where, features[i]["geometry"]), features[i]["properties"] as JsonObject));
        }
        var properties = InferProperties(records.Select(r => r.Properties));
        var result = records.Select(r => new FeatureRecord(r.Id, r.Geometry, ToValues(r.Properties, properties))).ToList();
        return FeatureSet.Of(properties, KindOf(result.Select(r => r.Geometry!)), result);
    }

    /// <summary>A GeoJSON geometry in CRS84, checked: parseable, finite, within longitude and latitude ranges.</summary>
    public static Geometry ReadGeometry(string input, string where, JsonNode? node)
    {
        if (node is not JsonObject) throw new ProcessInputException(input, $"{where}: the geometry is missing or not an object.");
        Geometry? geometry;
        try
        {
            geometry = node.Deserialize<Geometry>(GeoJson.Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new ProcessInputException(input, $"{where}: the geometry is not valid GeoJSON ({e.Message}).");
        }
        if (geometry is null || geometry.IsEmpty) throw new ProcessInputException(input, $"{where}: the geometry is empty.");
        if (geometry.Coordinates.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y) || Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90))
            throw new ProcessInputException(input, $"{where}: a position lies outside longitude -180..180, latitude -90..90.");
        geometry.SRID = GeometryServices.Crs84Srid;
        return geometry;
    }

    /// <summary>The geometry type that holds every geometry given: their common type, else its multi form, else Geometry.</summary>
    public static GeometryKind KindOf(IEnumerable<Geometry> geometries)
    {
        var kinds = geometries.Select(g => GeometryKinds.Parse(g.GeometryType)).Distinct().ToList();
        if (kinds.Count == 1) return kinds[0];
        var multi = kinds.Select(Shapes.Multi).Distinct().ToList();
        return multi.Count == 1 ? multi[0] : GeometryKind.Geometry;
    }

    private static string? IdOf(JsonNode? id) => id is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
        ? value.ToString() : null;

    /// <summary>A property's type is that of its values: integers and numbers make a number, any other mix text.</summary>
    private static List<PropertySchema> InferProperties(IEnumerable<JsonObject?> properties)
    {
        var types = new Dictionary<string, PropertyType?>(StringComparer.Ordinal);
        foreach (var bag in properties.OfType<JsonObject>())
        {
            foreach (var (name, value) in bag)
            {
                var type = TypeOf(value);
                types[name] = (types.GetValueOrDefault(name), type) switch
                {
                    (null, var t) => t,
                    (var t, null) => t,
                    (var a, var b) when a == b => a,
                    (PropertyType.Integer, PropertyType.Number) or (PropertyType.Number, PropertyType.Integer) => PropertyType.Number,
                    _ => PropertyType.String,
                };
            }
        }
        return types.Select(t => new PropertySchema(t.Key, t.Value ?? PropertyType.String)).ToList();
    }

    private static PropertyType? TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => null,
        JsonValueKind.String => PropertyType.String,
        JsonValueKind.True or JsonValueKind.False => PropertyType.Boolean,
        JsonValueKind.Number => value.AsValue().TryGetValue<long>(out _) ? PropertyType.Integer : PropertyType.Number,
        _ => PropertyType.Other,
    };

    private static Dictionary<string, object?> ToValues(JsonObject? bag, IReadOnlyList<PropertySchema> schema)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in schema)
        {
            var node = bag?[property.Name];
            values[property.Name] = node is null || node.GetValueKind() == JsonValueKind.Null ? null : property.Type switch
            {
                PropertyType.Integer => node.GetValue<long>(),
                PropertyType.Number => node.AsValue().TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null,
                PropertyType.Boolean => node.GetValue<bool>(),
                PropertyType.String when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
                _ => node.ToJsonString(),
            };
        }
        return values;
    }

    /// <summary>
    /// Writes the features as a GeoJSON FeatureCollection, flushing as it goes; returns how many were written.
    /// Coordinates are rounded to the decimals of the features' CRS (9 for degrees, 4 for metres), as the features
    /// API serves them.
    /// </summary>
    public static async Task<long> WriteAsync(Stream stream, FeatureSet features, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream);
        return await WriteAsync(writer, features, progress, cancellationToken);
    }

    /// <summary>Like <see cref="WriteAsync(Stream, FeatureSet, IProgress{long}?, CancellationToken)"/>, to a writer of the caller's.</summary>
    public static async Task<long> WriteAsync(Utf8JsonWriter writer, FeatureSet features, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var decimals = CrsRegistry.ForStorage(features.Srid)?.Decimals ?? CrsRegistry.Crs84.Decimals;
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        long count = 0;
        await foreach (var feature in features.Features.WithCancellation(cancellationToken))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            if (feature.Id is { } id) writer.WriteString("id", id);
            writer.WritePropertyName("geometry");
            RoundedGeoJson.Write(writer, feature.Geometry, decimals);
            writer.WriteStartObject("properties");
            foreach (var (name, value) in feature.Properties)
            {
                writer.WritePropertyName(name);
                FeatureJson.WriteValue(writer, value);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
                progress?.Report(count);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        return count;
    }
}
