using System.Text;
using System.Text.Json;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// Reads GeoJSON Features in one forward pass over their bytes (Utf8JsonReader, no document, numbers parsed in
/// place, coordinates straight into the geometry's sequences, property names reused from the feature before), for
/// the well-formed common case: a Feature whose geometry's 'type' comes before its 'coordinates', two-dimensional
/// positions of finite numbers, closed rings of four or more, no repeated members. Any other feature (and any that
/// is wrong) goes to <see cref="GeoJsonReader.ParseFeature"/>, which reads it through a JsonDocument and
/// NetTopologySuite's converter or says what is wrong with it, so a feature reads the same whichever path takes it.
/// One parser per stream of features: it remembers the property names it has seen.
/// </summary>
internal sealed class GeoJsonFeatureParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 128 };

    // Like JsonElement.GetRawText: bytes that are not UTF-8 are an error, not replaced.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly GeometryFactory _factory = GeometryServices.Factory;
    private readonly List<string> _names = [];
    private double[] _ordinates = new double[256];

    private enum Kind
    {
        Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon,
    }

    public SourceFeature Parse(ReadOnlySpan<byte> json, long record) => TryParse(json, record) ?? GeoJsonReader.ParseFeature(json, record);

    /// <summary>The feature, or null when it is not the plain case this parser reads.</summary>
    internal SourceFeature? TryParse(ReadOnlySpan<byte> json, long record)
    {
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            return Feature(ref reader, json, record);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Broken JSON, text that is not UTF-8, a ring that is not closed: the document reader says which.
            return null;
        }
    }

    private SourceFeature? Feature(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long record)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        bool sawType = false, sawGeometry = false, sawProperties = false, sawId = false;
        string? id = null;
        Geometry? geometry = null;
        List<KeyValuePair<string, object?>>? properties = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                if (sawType || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("Feature"u8)) return null;
                sawType = true;
            }
            else if (reader.ValueTextEquals("geometry"u8))
            {
                if (sawGeometry || !reader.Read()) return null;
                sawGeometry = true;
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartObject || (geometry = Geometry(ref reader)) is null) return null;
            }
            else if (reader.ValueTextEquals("properties"u8))
            {
                if (sawProperties || !reader.Read()) return null;
                sawProperties = true;
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartObject || (properties = Properties(ref reader, json)) is null) return null;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                if (sawId || !reader.Read()) return null;
                sawId = true;
                id = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    _ => null,
                };
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || !sawType || !sawGeometry) return null;
        return new SourceFeature(record, id, geometry, properties ?? []);
    }

    private List<KeyValuePair<string, object?>>? Properties(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        var properties = new List<KeyValuePair<string, object?>>(Math.Max(_names.Count, 4));
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader, properties.Count);
            reader.Read();
            object? value;
            switch (reader.TokenType)
            {
                case JsonTokenType.String: value = reader.GetString(); break;
                case JsonTokenType.Number when reader.TryGetInt64(out var l): value = l; break;
                case JsonTokenType.Number when reader.TryGetDouble(out var d) && double.IsFinite(d): value = d; break;
                // Out of range: the document reader gives the message.
                case JsonTokenType.Number: return null;
                case JsonTokenType.True: value = true; break;
                case JsonTokenType.False: value = false; break;
                case JsonTokenType.Null: value = null; break;
                default:
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    value = new RawJson(StrictUtf8.GetString(json[start..(int)reader.BytesConsumed]));
                    break;
            }
            properties.Add(new(name, value));
        }
        return properties;
    }

    /// <summary>The name at this position, the same string as the feature before's when it is the same name.</summary>
    private string Name(ref Utf8JsonReader reader, int position)
    {
        if (position < _names.Count && reader.ValueTextEquals(_names[position])) return _names[position];
        var name = reader.GetString()!;
        if (position < _names.Count) _names[position] = name;
        else _names.Add(name);
        return name;
    }

    private Geometry? Geometry(ref Utf8JsonReader reader)
    {
        Kind? kind = null;
        Geometry? geometry = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                if (kind is not null || !reader.Read() || reader.TokenType != JsonTokenType.String || (kind = KindOf(ref reader)) is null) return null;
            }
            else if (reader.ValueTextEquals("coordinates"u8))
            {
                if (kind is null || geometry is not null || !reader.Read() || (geometry = Coordinates(ref reader, kind.Value)) is null) return null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return geometry;
    }

    private static Kind? KindOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("Point"u8) ? Kind.Point :
        reader.ValueTextEquals("LineString"u8) ? Kind.LineString :
        reader.ValueTextEquals("Polygon"u8) ? Kind.Polygon :
        reader.ValueTextEquals("MultiPoint"u8) ? Kind.MultiPoint :
        reader.ValueTextEquals("MultiLineString"u8) ? Kind.MultiLineString :
        reader.ValueTextEquals("MultiPolygon"u8) ? Kind.MultiPolygon : null;

    private Geometry? Coordinates(ref Utf8JsonReader reader, Kind kind)
    {
        switch (kind)
        {
            case Kind.Point:
                return Position(ref reader, out var x, out var y) ? _factory.CreatePoint(new Coordinate(x, y)) : null;
            case Kind.LineString:
                return Sequence(ref reader, 2) is { } line ? _factory.CreateLineString(line) : null;
            case Kind.Polygon:
                return Polygon(ref reader);
            case Kind.MultiPoint:
                return Sequence(ref reader, 1) is { } points ? _factory.CreateMultiPoint(points) : null;
            case Kind.MultiLineString:
                var lines = new List<LineString>();
                return Parts(ref reader, lines, static (GeoJsonFeatureParser p, ref Utf8JsonReader r) => p.Sequence(ref r, 2) is { } s ? p._factory.CreateLineString(s) : null)
                    ? _factory.CreateMultiLineString([.. lines]) : null;
            default:
                var polygons = new List<Polygon>();
                return Parts(ref reader, polygons, static (GeoJsonFeatureParser p, ref Utf8JsonReader r) => p.Polygon(ref r))
                    ? _factory.CreateMultiPolygon([.. polygons]) : null;
        }
    }

    private delegate T? PartReader<T>(GeoJsonFeatureParser parser, ref Utf8JsonReader reader);

    /// <summary>An array of one or more parts, each read by <paramref name="read"/> from its first token.</summary>
    private bool Parts<T>(ref Utf8JsonReader reader, List<T> parts, PartReader<T> read) where T : class
    {
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (read(this, ref reader) is not { } part) return false;
            parts.Add(part);
        }
        return parts.Count > 0;
    }

    private Polygon? Polygon(ref Utf8JsonReader reader)
    {
        var rings = new List<LinearRing>(1);
        return Parts(ref reader, rings, static (GeoJsonFeatureParser p, ref Utf8JsonReader r) => p.Sequence(ref r, 4) is { } s ? p._factory.CreateLinearRing(s) : null)
            ? _factory.CreatePolygon(rings[0], rings.GetRange(1, rings.Count - 1).ToArray())
            : null;
    }

    /// <summary>An array of at least <paramref name="minimum"/> positions.</summary>
    private CoordinateSequence? Sequence(ref Utf8JsonReader reader, int minimum)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return null;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!Position(ref reader, out var x, out var y)) return null;
            if (2 * count + 2 > _ordinates.Length) Array.Resize(ref _ordinates, _ordinates.Length * 2);
            _ordinates[2 * count] = x;
            _ordinates[2 * count + 1] = y;
            count++;
        }
        if (count < minimum) return null;
        var sequence = _factory.CoordinateSequenceFactory.Create(count, 2, 0);
        for (var i = 0; i < count; i++)
        {
            sequence.SetX(i, _ordinates[2 * i]);
            sequence.SetY(i, _ordinates[2 * i + 1]);
        }
        return sequence;
    }

    /// <summary>[x, y] of finite numbers (a third ordinate is the converter's case).</summary>
    private static bool Position(ref Utf8JsonReader reader, out double x, out double y)
    {
        x = y = 0;
        return reader.TokenType == JsonTokenType.StartArray &&
               reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out x) && double.IsFinite(x) &&
               reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out y) && double.IsFinite(y) &&
               reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }
}
