using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// Builds the geometries of well-formed GeoJSON straight from the parsed feature (two-dimensional positions of
/// finite numbers, closed rings of four or more), several times faster than NetTopologySuite's converter, which
/// reads the bytes again. Anything else (Z values, empty or malformed coordinates, collections) is left to that
/// converter, which reads it or says what is wrong.
/// </summary>
internal static class GeoJsonGeometry
{
    /// <summary>The geometry, or null when it is not a plain case this fast path takes.</summary>
    public static Geometry? TryRead(JsonElement geometry, GeometryFactory factory)
    {
        if (!geometry.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
            !geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
            return null;
        try
        {
            return type.GetString() switch
            {
                "Point" => TryPosition(coordinates, out var x, out var y) ? factory.CreatePoint(new Coordinate(x, y)) : null,
                "LineString" => Sequence(coordinates, factory, 2) is { } line ? factory.CreateLineString(line) : null,
                "Polygon" => Polygon(coordinates, factory),
                "MultiPoint" => Sequence(coordinates, factory, 1) is { } points ? factory.CreateMultiPoint(points) : null,
                "MultiLineString" => Parts(coordinates, c => Sequence(c, factory, 2) is { } s ? factory.CreateLineString(s) : null) is { } lines
                    ? factory.CreateMultiLineString(lines) : null,
                "MultiPolygon" => Parts(coordinates, c => Polygon(c, factory)) is { } polygons ? factory.CreateMultiPolygon(polygons) : null,
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            // A ring that is not closed, for one: the converter gives the message.
            return null;
        }
    }

    private static bool TryPosition(JsonElement position, out double x, out double y)
    {
        x = y = 0;
        return position.ValueKind == JsonValueKind.Array && position.GetArrayLength() == 2 &&
               position[0].ValueKind == JsonValueKind.Number && position[0].TryGetDouble(out x) && double.IsFinite(x) &&
               position[1].ValueKind == JsonValueKind.Number && position[1].TryGetDouble(out y) && double.IsFinite(y);
    }

    private static CoordinateSequence? Sequence(JsonElement positions, GeometryFactory factory, int minimum)
    {
        var count = positions.GetArrayLength();
        if (count < minimum) return null;
        var sequence = factory.CoordinateSequenceFactory.Create(count, 2, 0);
        var i = 0;
        foreach (var position in positions.EnumerateArray())
        {
            if (!TryPosition(position, out var x, out var y)) return null;
            sequence.SetX(i, x);
            sequence.SetY(i, y);
            i++;
        }
        return sequence;
    }

    private static Polygon? Polygon(JsonElement rings, GeometryFactory factory)
    {
        if (rings.ValueKind != JsonValueKind.Array || rings.GetArrayLength() == 0) return null;
        var linearRings = Parts(rings, r => r.ValueKind == JsonValueKind.Array && Sequence(r, factory, 4) is { } s ? factory.CreateLinearRing(s) : null);
        return linearRings is null ? null : factory.CreatePolygon(linearRings[0], linearRings[1..]);
    }

    private static T[]? Parts<T>(JsonElement array, Func<JsonElement, T?> read) where T : class
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0) return null;
        var parts = new T[array.GetArrayLength()];
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (read(element) is not { } part) return null;
            parts[i++] = part;
        }
        return parts;
    }
}
