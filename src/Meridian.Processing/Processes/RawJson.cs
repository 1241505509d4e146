using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Meridian.Processing.Processes;

/// <summary>
/// An output value kept as the UTF-8 JSON a writer produced (an inline GeoJSON result), carried in a results
/// document as a <see cref="JsonValue"/> and written back byte for byte wherever the document is written: no
/// DOM is built for a result nobody navigates (a job's results go straight to the job store as text). Code that
/// does navigate results (a workflow's JSON paths) calls <see cref="Materialize"/> first.
/// </summary>
/// <remarks>
/// The converter is the type's own, so that serializer options of any kind (ASP.NET's, when a results document is
/// a response) write the bytes rather than the object's properties.
/// </remarks>
[JsonConverter(typeof(Converter))]
public sealed class RawJson
{
    private static readonly JsonTypeInfo<RawJson> TypeInfo =
        (JsonTypeInfo<RawJson>)new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }.GetTypeInfo(typeof(RawJson));

    /// <param name="utf8">One complete, valid JSON value, as <see cref="Utf8JsonWriter"/> wrote it.</param>
    /// <param name="mediaType">What the value is, for a raw response: e.g. application/geo+json.</param>
    private RawJson(ReadOnlyMemory<byte> utf8, string mediaType) => (Utf8, MediaType) = (utf8, mediaType);

    public ReadOnlyMemory<byte> Utf8 { get; }

    public string MediaType { get; }

    /// <summary>A node of a results document holding the JSON value as written.</summary>
    public static JsonValue Node(ReadOnlyMemory<byte> utf8, string mediaType) => JsonValue.Create(new RawJson(utf8, mediaType), TypeInfo)!;

    /// <summary>The raw value a node holds, when it is one of <see cref="Node"/>'s.</summary>
    public static bool TryGet(JsonNode? node, [NotNullWhen(true)] out RawJson? raw)
    {
        raw = null;
        return node is JsonValue value && value.TryGetValue(out raw);
    }

    /// <summary>The results document with every raw value parsed into nodes: for code that navigates or edits the values.</summary>
    public static JsonObject Materialize(JsonObject results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var name in results.Select(r => r.Key).ToList())
        {
            if (TryGet(results[name], out var raw)) results[name] = JsonNode.Parse(raw.Utf8.Span);
        }
        return results;
    }

    /// <summary>Writes the bytes as they are (they were validated when written); reading is never needed.</summary>
    private sealed class Converter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Raw JSON values are written, never read.");

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}
