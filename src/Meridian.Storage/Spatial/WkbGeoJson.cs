using System.Buffers.Binary;
using System.Text.Json;

namespace Meridian.Storage.Spatial;

/// <summary>
/// Writes WKB straight to GeoJSON, without building geometry objects: the hot path of every items page of
/// a store that keeps WKB and needs no reprojection. Reads ISO WKB and EWKB; heights are kept, measures dropped.
/// </summary>
public static class WkbGeoJson
{
    private static readonly string[] Names = ["", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"];

    /// <summary>
    /// Writes the geometry, or returns false without writing anything when the WKB is malformed, of a type
    /// GeoJSON lacks (curves), or holds a coordinate JSON cannot carry (NaN, infinity): callers then fall back.
    /// </summary>
    public static bool TryWrite(Utf8JsonWriter writer, ReadOnlySpan<byte> wkb)
    {
        var position = 0;
        if (!Validate(wkb, ref position, depth: 0) || position != wkb.Length) return false;
        position = 0;
        WriteGeometry(writer, wkb, ref position);
        return true;
    }

    private readonly record struct Header(bool LittleEndian, int Type, int Dimensions, bool HasZ);

    private static bool TryHeader(ReadOnlySpan<byte> wkb, ref int position, out Header header)
    {
        header = default;
        if (position + 5 > wkb.Length || wkb[position] > 1) return false;
        var little = wkb[position] == 1;
        var raw = ReadUInt32(wkb[(position + 1)..], little);
        position += 5;
        var ewkbZ = (raw & 0x80000000) != 0;
        var ewkbM = (raw & 0x40000000) != 0;
        if ((raw & 0x20000000) != 0) position += 4; // EWKB SRID, not needed: output is always CRS84
        var code = (int)(raw & 0x0FFFFFFF);
        var iso = code / 1000;
        var type = code % 1000;
        if (type is < 1 or > 7 || iso > 3) return false;
        var hasZ = ewkbZ || iso is 1 or 3;
        var hasM = ewkbM || iso is 2 or 3;
        header = new Header(little, type, 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0), hasZ);
        return position <= wkb.Length;
    }

    private static bool Validate(ReadOnlySpan<byte> wkb, ref int position, int depth)
    {
        if (depth > 32 || !TryHeader(wkb, ref position, out var h)) return false;
        switch (h.Type)
        {
            case 1:
                return ValidatePoints(wkb, ref position, h, 1, allowEmpty: depth == 0);
            case 2:
                return TryCount(wkb, ref position, h, out var n) && ValidatePoints(wkb, ref position, h, n, false);
            case 3:
                if (!TryCount(wkb, ref position, h, out var rings)) return false;
                for (var r = 0; r < rings; r++)
                {
                    if (!TryCount(wkb, ref position, h, out var points) || !ValidatePoints(wkb, ref position, h, points, false)) return false;
                }
                return true;
            default:
                if (!TryCount(wkb, ref position, h, out var parts)) return false;
                for (var p = 0; p < parts; p++)
                {
                    if (!Validate(wkb, ref position, depth + 1)) return false;
                }
                return true;
        }
    }

    private static bool TryCount(ReadOnlySpan<byte> wkb, ref int position, Header h, out int count)
    {
        count = 0;
        if (position + 4 > wkb.Length) return false;
        var value = ReadUInt32(wkb[position..], h.LittleEndian);
        position += 4;
        if (value > int.MaxValue) return false;
        count = (int)value;
        return true;
    }

    private static bool ValidatePoints(ReadOnlySpan<byte> wkb, ref int position, Header h, int count, bool allowEmpty)
    {
        var bytes = (long)count * h.Dimensions * 8;
        if (position + bytes > wkb.Length) return false;
        for (var i = 0; i < count * h.Dimensions; i++)
        {
            var value = ReadDouble(wkb[(position + i * 8)..], h.LittleEndian);
            if (double.IsFinite(value)) continue;
            // NetTopologySuite writes 2D geometries with NaN heights: those positions are written without one.
            if (h.HasZ && i % h.Dimensions == 2 && double.IsNaN(value)) continue;
            // An empty point is written with NaN coordinates; only a top-level one is accepted (as null).
            if (!(allowEmpty && double.IsNaN(value) && double.IsNaN(ReadDouble(wkb[position..], h.LittleEndian)))) return false;
        }
        position += (int)bytes;
        return true;
    }

    private static void WriteGeometry(Utf8JsonWriter writer, ReadOnlySpan<byte> wkb, ref int position)
    {
        TryHeader(wkb, ref position, out var h);
        if (h.Type == 1 && double.IsNaN(ReadDouble(wkb[position..], h.LittleEndian)))
        {
            position += h.Dimensions * 8;
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("type", Names[h.Type]);
        if (h.Type == 7)
        {
            writer.WriteStartArray("geometries");
            var parts = ReadCount(wkb, ref position, h);
            for (var p = 0; p < parts; p++) WriteGeometry(writer, wkb, ref position);
            writer.WriteEndArray();
        }
        else
        {
            writer.WritePropertyName("coordinates");
            WriteCoordinates(writer, wkb, ref position, h);
        }
        writer.WriteEndObject();
    }

    private static void WriteCoordinates(Utf8JsonWriter writer, ReadOnlySpan<byte> wkb, ref int position, Header h)
    {
        switch (h.Type)
        {
            case 1:
                WritePosition(writer, wkb, ref position, h);
                return;
            case 2:
                WritePositions(writer, wkb, ref position, h);
                return;
            case 3:
                writer.WriteStartArray();
                var rings = ReadCount(wkb, ref position, h);
                for (var r = 0; r < rings; r++) WritePositions(writer, wkb, ref position, h);
                writer.WriteEndArray();
                return;
            default:
                writer.WriteStartArray();
                var parts = ReadCount(wkb, ref position, h);
                for (var p = 0; p < parts; p++)
                {
                    TryHeader(wkb, ref position, out var part);
                    WriteCoordinates(writer, wkb, ref position, part);
                }
                writer.WriteEndArray();
                return;
        }
    }

    private static void WritePositions(Utf8JsonWriter writer, ReadOnlySpan<byte> wkb, ref int position, Header h)
    {
        writer.WriteStartArray();
        var count = ReadCount(wkb, ref position, h);
        for (var i = 0; i < count; i++) WritePosition(writer, wkb, ref position, h);
        writer.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter writer, ReadOnlySpan<byte> wkb, ref int position, Header h)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(ReadDouble(wkb[position..], h.LittleEndian));
        writer.WriteNumberValue(ReadDouble(wkb[(position + 8)..], h.LittleEndian));
        if (h.HasZ && ReadDouble(wkb[(position + 16)..], h.LittleEndian) is var z && !double.IsNaN(z)) writer.WriteNumberValue(z);
        writer.WriteEndArray();
        position += h.Dimensions * 8;
    }

    private static int ReadCount(ReadOnlySpan<byte> wkb, ref int position, Header h)
    {
        var count = (int)ReadUInt32(wkb[position..], h.LittleEndian);
        position += 4;
        return count;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);

    private static double ReadDouble(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : BinaryPrimitives.ReadDoubleBigEndian(bytes);
}
