using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Meridian.Features.Formats;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Meridian.Backup;

/// <summary>
/// A collection's features as a GeoJSON text sequence: one Feature a line (what GDAL's GeoJSONSeq driver and jq read),
/// coordinates as stored (the collection's SRID, x east, y north) with every digit a double has, so that a restore
/// puts back exactly what was read. Values the port types: integers and numbers as JSON numbers (NaN and infinities,
/// which JSON lacks, as the strings "NaN", "Infinity", "-Infinity"), dates as <c>yyyy-MM-dd</c>, date-times as ISO 8601
/// in UTC, everything else as strings. Reading them back takes the types from the manifest's schema.
/// </summary>
internal static class FeatureLines
{
    public const string Extension = ".geojsonl";

    /// <summary>The longest line a restore reads: one feature can be a large polygon, but not an unbounded one.</summary>
    public const int MaxFeatureBytes = 256 << 20;

    private const int ChunkBytes = 64 * 1024;

    /// <summary>Geometries as stored: the shared serializer turns rings to RFC 7946's orientation, which a copy must not.</summary>
    private static readonly JsonSerializerOptions Geometries = new()
    {
        Converters = { new GeoJsonConverterFactory(GeometryServices.Factory, false, "id", RingOrientationOption.DoNotModify) },
    };

    /// <summary>Writes every feature the reader yields; returns how many.</summary>
    public static async Task<long> WriteAsync(IFeatureReader reader, CollectionSchema schema, EntrySink output, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(2 * ChunkBytes);
        await using var json = new Utf8JsonWriter(buffer);
        var integerIds = schema.IdKind == FeatureIdKind.Integer;
        long count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            if (integerIds && long.TryParse(reader.Id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)) json.WriteNumber("id", id);
            else json.WriteString("id", reader.Id);
            json.WritePropertyName("geometry");
            if (reader.ReadGeometry() is { IsEmpty: false } geometry) JsonSerializer.Serialize(json, geometry, Geometries);
            else json.WriteNullValue();
            json.WriteStartObject("properties");
            for (var i = 0; i < schema.Properties.Count; i++)
            {
                json.WritePropertyName(schema.Properties[i].Name);
                WriteValue(json, reader.GetValue(i));
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.Flush();
            buffer.Write("\n"u8);
            // One JSON value per line: the writer starts afresh, as for a new document.
            json.Reset();
            count++;
            if (buffer.WrittenCount >= ChunkBytes)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }
        if (buffer.WrittenCount > 0) await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        return count;
    }

    /// <summary>As the API writes values, but NaN and the infinities (which the API writes as null) as strings, so that they come back.</summary>
    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        if (value is double d && !double.IsFinite(d)) json.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        else FeatureJson.WriteValue(json, value);
    }

    /// <summary>
    /// Reads the features of an entry as records for a load of <paramref name="schema"/>, geometries in its SRID. A line
    /// that is not such a feature stops the read with a <see cref="BackupArchiveException"/> naming the entry and line,
    /// which makes the load it feeds roll back.
    /// </summary>
    public static async IAsyncEnumerable<FeatureRecord> ReadAsync(Stream input, CollectionSchema schema, string entry,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pipe = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: ChunkBytes, leaveOpen: true));
        long line = 0;
        try
        {
            while (true)
            {
                var result = await pipe.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var record = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    line++;
                    if (!IsBlank(record)) yield return Parse(record, schema, entry, line);
                }
                if (result.IsCompleted)
                {
                    if (!IsBlank(buffer)) yield return Parse(buffer, schema, entry, ++line);
                    break;
                }
                if (buffer.Length > MaxFeatureBytes)
                    throw new BackupArchiveException($"{entry} line {line + 1} is longer than {MaxFeatureBytes:N0} bytes: it is no feature a backup wrote");
                pipe.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await pipe.CompleteAsync();
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> record)
    {
        foreach (var segment in record)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return false;
            }
        }
        return true;
    }

    private static FeatureRecord Parse(ReadOnlySequence<byte> record, CollectionSchema schema, string entry, long line)
    {
        try
        {
            using var document = JsonDocument.Parse(record);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || type.GetString() != "Feature")
                throw new BackupArchiveException($"{entry} line {line} is not a GeoJSON Feature");
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => throw new BackupArchiveException($"{entry} line {line}: the id is neither a string nor a number"),
            } : null;
            return new FeatureRecord(id, ReadGeometry(root, schema, entry, line), Properties(root, schema, entry, line));
        }
        catch (JsonException e)
        {
            throw new BackupArchiveException($"{entry} line {line} is not valid JSON: {e.Message}", e);
        }
    }

    private static Geometry? ReadGeometry(JsonElement feature, CollectionSchema schema, string entry, long line)
    {
        if (!feature.TryGetProperty("geometry", out var element) || element.ValueKind == JsonValueKind.Null) return null;
        try
        {
            var geometry = element.Deserialize<Geometry>(Geometries)
                ?? throw new BackupArchiveException($"{entry} line {line}: the geometry is empty");
            geometry.SRID = schema.StorageSrid;
            return geometry;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or NotSupportedException)
        {
            throw new BackupArchiveException($"{entry} line {line}: the geometry is not GeoJSON: {e.Message}", e);
        }
    }

    private static Dictionary<string, object?> Properties(JsonElement feature, CollectionSchema schema, string entry, long line)
    {
        var values = new Dictionary<string, object?>(schema.Properties.Count, StringComparer.Ordinal);
        if (!feature.TryGetProperty("properties", out var properties) || properties.ValueKind == JsonValueKind.Null) return values;
        if (properties.ValueKind != JsonValueKind.Object) throw new BackupArchiveException($"{entry} line {line}: properties is not an object");
        foreach (var member in properties.EnumerateObject())
        {
            var property = schema.FindProperty(member.Name)
                ?? throw new BackupArchiveException($"{entry} line {line} has the property '{member.Name}', which the manifest's schema does not declare");
            values[member.Name] = Value(member.Value, property.Type);
        }
        return values;
    }

    /// <summary>
    /// A value as the schema's type wants it. A value that does not fit its type is passed on as the backup wrote it
    /// (SQLite lets a column hold anything, and such values left the store as text): the store it goes to decides.
    /// </summary>
    private static object? Value(JsonElement value, PropertyType type) => (type, value.ValueKind) switch
    {
        (_, JsonValueKind.Null) => null,
        (PropertyType.Integer, JsonValueKind.Number) when value.TryGetInt64(out var l) => l,
        (PropertyType.Number, JsonValueKind.Number) => value.GetDouble(),
        (PropertyType.Number, JsonValueKind.String) when NonFinite(value.GetString()) is { } d => d,
        (PropertyType.Boolean, JsonValueKind.True) => true,
        (PropertyType.Boolean, JsonValueKind.False) => false,
        (PropertyType.Date, JsonValueKind.String) when DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var date) => date,
        (PropertyType.DateTime, JsonValueKind.String) when DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out var instant) => instant,
        (_, JsonValueKind.String) => value.GetString(),
        _ => value.GetRawText(),
    };

    private static double? NonFinite(string? text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => null,
    };
}
