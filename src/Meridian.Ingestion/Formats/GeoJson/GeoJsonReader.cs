using System.Runtime.CompilerServices;
using System.Text.Json;
using GeoJsonFormat = Meridian.Storage.Spatial.GeoJson;
using NetTopologySuite.Geometries;


namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// Streams features from a GeoJSON FeatureCollection (RFC 7946), however large the file: features are
/// parsed one at a time as the stream is read. A lone Feature, or a 'crs' other than CRS84, is refused.
/// </summary>
public static class GeoJsonReader
{
    /// <summary>The largest single feature accepted (the 1,000,001-vertex test polygon is 22 MB).</summary>
    public const int MaxFeatureBytes = 256 * 1024 * 1024;

    public static async IAsyncEnumerable<SourceFeature> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tokens = new JsonTokenStream(stream, MaxFeatureBytes);
        if (!await Next(tokens, cancellationToken))
            throw new SourceFormatException("the file is empty: a GeoJSON FeatureCollection or Feature was expected.");
        if (tokens.TokenType != JsonTokenType.StartObject)
            throw new SourceFormatException("the file is not a GeoJSON object (it should start with '{').");

        string? type = null;
        var record = 0L;
        var sawFeatures = false;
        while (await Next(tokens, cancellationToken) && tokens.TokenType == JsonTokenType.PropertyName)
        {
            switch (tokens.Text)
            {
                case "type":
                    await Next(tokens, cancellationToken);
                    type = tokens.Text;
                    if (type is not ("FeatureCollection" or "Feature"))
                        throw new SourceFormatException($"the top-level type is '{type}', not 'FeatureCollection' or 'Feature'.");
                    break;
                case "features":
                    sawFeatures = true;
                    if (!await Next(tokens, cancellationToken) || tokens.TokenType != JsonTokenType.StartArray)
                        throw new SourceFormatException("'features' is not an array.");
                    while (true)
                    {
                        var value = await Value(tokens, $"feature {record + 1}", cancellationToken);
                        if (tokens.TokenType == JsonTokenType.EndArray) break;
                        record++;
                        yield return ParseFeature(value.Span, record);
                    }
                    break;
                case "crs":
                    // Not RFC 7946, but GDAL writes it for data that is not CRS84: such coordinates are not lon/lat.
                    CheckCrs(await Value(tokens, "top-level member 'crs'", cancellationToken));
                    break;
                default:
                    // Members such as "name" or "bbox": skipped.
                    await Value(tokens, $"top-level member '{tokens.Text}'", cancellationToken);
                    break;
            }
        }
        if (type is null) throw new SourceFormatException("the object has no 'type' member: it is not GeoJSON.");
        if (type == "FeatureCollection" && !sawFeatures) throw new SourceFormatException("the FeatureCollection has no 'features' array.");
        if (type == "Feature") throw new SourceFormatException("the file holds a single Feature; wrap it in a FeatureCollection to load it.");
        // Anything but whitespace after the object (a second collection, a cut-and-pasted tail) would otherwise be lost silently.
        if (await Next(tokens, cancellationToken)) throw new SourceFormatException($"the file goes on after the end of the FeatureCollection (byte {tokens.Position}).");
    }

    private static readonly HashSet<string> Crs84Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326",
    };

    private static void CheckCrs(ReadOnlyMemory<byte> json)
    {
        string? name;
        try
        {
            using var document = JsonDocument.Parse(json);
            var crs = document.RootElement;
            if (crs.ValueKind == JsonValueKind.Null) return;
            name = crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var properties) &&
                properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            name = null;
        }
        if (name is null || !Crs84Names.Contains(name))
            throw new SourceFormatException($"the file declares the coordinate reference system '{name ?? "(unreadable)"}'; only WGS 84 longitude/latitude (CRS84) is read: reproject it first (e.g. ogr2ogr -t_srs EPSG:4326).");
    }

    private static async ValueTask<bool> Next(JsonTokenStream tokens, CancellationToken ct)
    {
        try
        {
            return await tokens.ReadAsync(ct);
        }
        catch (JsonException e)
        {
            throw new SourceFormatException($"the file is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString on invalid UTF-8 or an unpaired \uD800-style escape.
            throw new SourceFormatException($"the file has text that is not valid UTF-8 (or an unpaired \\u surrogate escape) near byte {tokens.Position}.", e);
        }
    }

    private static async ValueTask<ReadOnlyMemory<byte>> Value(JsonTokenStream tokens, string context, CancellationToken ct)
    {
        try
        {
            return await tokens.ReadValueAsync(ct);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new SourceFormatException($"{context}: {e.Message}", e);
        }
    }

    private static SourceFeature ParseFeature(ReadOnlySpan<byte> json, long record)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
                throw new SourceFormatException($"feature {record}: is not a GeoJSON Feature object.");
            if (!root.TryGetProperty("geometry", out var geometryElement))
                throw new SourceFormatException($"feature {record}: has no 'geometry' member (RFC 7946 requires it, null when there is none).");
            return new SourceFeature(record, Id(root), ParseGeometry(geometryElement, record), Properties(root, record));
        }
        catch (JsonException e)
        {
            throw new SourceFormatException($"feature {record}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // JsonElement.GetString on bytes that are not UTF-8 or on an unpaired \uD800-style escape:
            // System.Text.Json checks text only when it decodes it. Geometries catch their own exceptions.
            throw new SourceFormatException($"feature {record}: a name or text value is not valid UTF-8 (or has an unpaired \\u surrogate escape).", e);
        }
    }

    private static string? Id(JsonElement feature) =>
        feature.TryGetProperty("id", out var id) ? id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        } : null;

    private static Geometry? ParseGeometry(JsonElement element, long record)
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Object) throw new SourceFormatException($"feature {record}: 'geometry' is not an object or null.");
        Geometry? geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(GeoJsonFormat.Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new SourceFormatException($"feature {record}: invalid geometry: {e.Message}", e);
        }
        if (geometry is null) return null;
        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y))
                throw new SourceFormatException($"feature {record}: a coordinate is not a finite number.");
        }
        return geometry;
    }

    private static List<KeyValuePair<string, object?>> Properties(JsonElement feature, long record)
    {
        var list = new List<KeyValuePair<string, object?>>();
        if (!feature.TryGetProperty("properties", out var properties) || properties.ValueKind == JsonValueKind.Null) return list;
        if (properties.ValueKind != JsonValueKind.Object) throw new SourceFormatException($"feature {record}: 'properties' is not an object or null.");
        foreach (var property in properties.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                // 1e309 parses as infinity, which JSON cannot hold: out of range like any other overflow.
                JsonValueKind.Number when property.Value.TryGetDouble(out var d) && double.IsFinite(d) => d,
                JsonValueKind.Number => throw new SourceFormatException($"feature {record}: property '{property.Name}' is a number out of range."),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => new RawJson(property.Value.GetRawText()),
            };
            list.Add(new(property.Name, value));
        }
        return list;
    }
}
