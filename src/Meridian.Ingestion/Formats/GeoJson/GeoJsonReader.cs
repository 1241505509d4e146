using System.Runtime.CompilerServices;
using System.Text.Json;
using StorageGeoJson = Meridian.Storage.Spatial.GeoJson;
using NetTopologySuite.Geometries;


namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// Streams features from a GeoJSON FeatureCollection (RFC 7946), however large the file: features are
/// parsed one at a time as the stream is read. A lone Feature is a one-record file. A feature that cannot be
/// read (no geometry member, a bad geometry) is yielded as a rejected record; a file whose JSON is broken fails.
/// </summary>
public static class GeoJsonReader
{
    /// <summary>The largest single feature accepted (the 1,000,001-vertex test polygon is 22 MB).</summary>
    public const int MaxFeatureBytes = 256 * 1024 * 1024;

    /// <summary>
    /// The CRS of the legacy 'crs' member (GDAL writes it before 'features'), looked for among the top-level
    /// members before 'features' only, so that this costs nothing on a large file. Null means CRS84, the GeoJSON default.
    /// </summary>
    public static async Task<SourceCrs?> ReadCrsAsync(Stream stream, CancellationToken cancellationToken)
    {
        var tokens = new JsonTokenStream(stream, MaxFeatureBytes);
        // Anything else is not GeoJSON: ReadAsync says why.
        if (!await Next(tokens, cancellationToken) || tokens.TokenType != JsonTokenType.StartObject) return null;
        while (await Next(tokens, cancellationToken) && tokens.TokenType == JsonTokenType.PropertyName && tokens.Text != "features")
        {
            var name = tokens.Text;
            var value = await Value(tokens, $"top-level member '{name}'", cancellationToken);
            if (name == "crs") return GeoJsonCrs.Parse(value.Span);
        }
        return null;
    }

    public static async IAsyncEnumerable<SourceFeature> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tokens = new JsonTokenStream(stream, MaxFeatureBytes);
        if (!await Next(tokens, cancellationToken))
            throw new SourceFormatException("the file is empty: a GeoJSON FeatureCollection or Feature was expected.");
        if (tokens.TokenType != JsonTokenType.StartObject)
            throw new SourceFormatException("the file is not a GeoJSON object (it should start with '{').");

        string? type = null;
        var record = 0L;
        var parser = new GeoJsonFeatureParser();
        var sawFeatures = false;
        // The members of a lone Feature, kept until the object ends and its 'type' is known for sure.
        var featureMembers = new Dictionary<string, byte[]>(StringComparer.Ordinal);
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
                        yield return parser.Parse(value.Span, record);
                    }
                    break;
                case "crs":
                    // Read by ReadCrsAsync, which stops at 'features'; checked here so that no CRS passes silently.
                    var crs = GeoJsonCrs.Parse((await Value(tokens, "top-level member 'crs'", cancellationToken)).Span);
                    if (crs is not null && sawFeatures)
                        throw new SourceFormatException($"the 'crs' member ({crs}) comes after 'features'; put it before them (as GDAL writes it) or give the CRS as an option.");
                    break;
                case var name:
                    // Members such as "name" or "bbox" are skipped; a lone Feature's own are kept.
                    var member = await Value(tokens, $"top-level member '{name}'", cancellationToken);
                    if (name is "geometry" or "properties" or "id") featureMembers[name] = member.ToArray();
                    break;
            }
        }
        if (type is null) throw new SourceFormatException("the object has no 'type' member: it is not GeoJSON.");
        if (type == "FeatureCollection" && !sawFeatures) throw new SourceFormatException("the FeatureCollection has no 'features' array.");
        // Anything but whitespace after the object (a second collection, a cut-and-pasted tail) would otherwise be lost silently.
        if (await Next(tokens, cancellationToken)) throw new SourceFormatException($"the file goes on after the end of the top-level object (byte {tokens.Position}): one Feature per line is GeoJSON text sequences (.geojsonl).");
        if (type == "Feature") yield return parser.Parse(LoneFeature(featureMembers), 1);
    }

    private static byte[] LoneFeature(Dictionary<string, byte[]> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            foreach (var (name, json) in members)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(json, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
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

    /// <summary>
    /// One feature object, through a JsonDocument and NetTopologySuite's converter: the features <see cref="GeoJsonFeatureParser"/>
    /// leaves to it. What is wrong with it makes it a rejected record, never a failed file.
    /// </summary>
    internal static SourceFeature ParseFeature(ReadOnlySpan<byte> json, long record)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
                throw new SourceFormatException("not a GeoJSON Feature object.");
            if (!root.TryGetProperty("geometry", out var geometryElement))
                throw new SourceFormatException("no 'geometry' member (RFC 7946 requires it, null when there is none).");
            return new SourceFeature(record, Id(root), ParseGeometry(geometryElement), Properties(root));
        }
        catch (SourceFormatException e)
        {
            return SourceFeature.Rejected(record, e.Message);
        }
        catch (JsonException e)
        {
            return SourceFeature.Rejected(record, $"not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString on bytes that are not UTF-8 or on an unpaired \uD800-style escape:
            // System.Text.Json checks text only when it decodes it. Geometries catch their own exceptions.
            return SourceFeature.Rejected(record, "a name or text value is not valid UTF-8 (or has an unpaired \\u surrogate escape).");
        }
    }

    private static string? Id(JsonElement feature) =>
        feature.TryGetProperty("id", out var id) ? id.ValueKind switch
        {
            JsonValueKind.String => id.GetString(),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        } : null;

    private static Geometry? ParseGeometry(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Object) throw new SourceFormatException($"'geometry' is not an object or null.");
        Geometry? geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(StorageGeoJson.Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new SourceFormatException($"invalid geometry: {e.Message}", e);
        }
        if (geometry is null) return null;
        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y))
                throw new SourceFormatException($"a coordinate is not a finite number.");
        }
        return geometry;
    }

    private static List<KeyValuePair<string, object?>> Properties(JsonElement feature)
    {
        var list = new List<KeyValuePair<string, object?>>();
        if (!feature.TryGetProperty("properties", out var properties) || properties.ValueKind == JsonValueKind.Null) return list;
        if (properties.ValueKind != JsonValueKind.Object) throw new SourceFormatException($"'properties' is not an object or null.");
        foreach (var property in properties.EnumerateObject())
        {
            object? value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number when property.Value.TryGetInt64(out var l) => l,
                // 1e309 parses as infinity, which JSON cannot hold: out of range like any other overflow.
                JsonValueKind.Number when property.Value.TryGetDouble(out var d) && double.IsFinite(d) => d,
                JsonValueKind.Number => throw new SourceFormatException($"property '{property.Name}' is a number out of range."),
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
