using System.Buffers;
using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Spatial;

/// <summary>
/// Writes NetTopologySuite geometries as GeoJSON with every ordinate rounded to a number of decimals (a CRS's
/// <see cref="Crs.Decimals"/>, as PostGIS's <c>ST_AsGeoJSON</c> is asked for), for feature streams a process writes:
/// shorter than full double precision (a buffer's vertices carry 17 significant digits of noise) and several times
/// faster than the serializer, since each geometry's coordinates are formatted as integers straight into one
/// buffer and handed to the writer as a single raw value.
/// </summary>
public static class RoundedGeoJson
{
    /// <summary>The most decimals supported: 10^15 still fits a double's integer range exactly.</summary>
    public const int MaxDecimals = 15;

    /// <summary>A buffer grown larger than this by a huge geometry is not kept for the thread's next one.</summary>
    private const int KeptBufferBytes = 1 << 20;

    /// <summary>Room for one position: three ordinates of at most 24 bytes each, two commas and the brackets.</summary>
    private const int PositionBytes = 80;

    private static readonly double[] Powers = Enumerable.Range(0, MaxDecimals + 1).Select(d => Math.Pow(10, d)).ToArray();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Writes the geometry (null or empty as JSON null), its ordinates rounded to <paramref name="decimals"/>.</summary>
    /// <exception cref="ArgumentException">An ordinate is NaN or infinite, which JSON cannot carry.</exception>
    public static void Write(Utf8JsonWriter writer, Geometry? geometry, int decimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, MaxDecimals);
        if (geometry is null || geometry.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }
        WriteGeometry(writer, geometry, decimals);
    }

    private static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, int decimals)
    {
        writer.WriteStartObject();
        writer.WriteString("type", TypeName(geometry));
        if (geometry.OgcGeometryType == OgcGeometryType.GeometryCollection)
        {
            writer.WriteStartArray("geometries");
            for (var i = 0; i < geometry.NumGeometries; i++) WriteGeometry(writer, geometry.GetGeometryN(i), decimals);
            writer.WriteEndArray();
        }
        else
        {
            var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
            buffer.ResetWrittenCount();
            AppendCoordinates(buffer, geometry, decimals);
            writer.WritePropertyName("coordinates");
            writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
            if (buffer.Capacity > KeptBufferBytes) t_buffer = null;
        }
        writer.WriteEndObject();
    }

    private static string TypeName(Geometry geometry) => geometry.OgcGeometryType switch
    {
        OgcGeometryType.Point => "Point",
        OgcGeometryType.LineString => "LineString", // a LinearRing too
        OgcGeometryType.Polygon => "Polygon",
        OgcGeometryType.MultiPoint => "MultiPoint",
        OgcGeometryType.MultiLineString => "MultiLineString",
        OgcGeometryType.MultiPolygon => "MultiPolygon",
        OgcGeometryType.GeometryCollection => "GeometryCollection",
        var other => throw new ArgumentException($"GeoJSON has no {other} geometry.", nameof(geometry)),
    };

    /// <summary>The coordinates member's value: a position, an array of positions, or arrays of those nested.</summary>
    private static void AppendCoordinates(ArrayBufferWriter<byte> buffer, Geometry geometry, int decimals)
    {
        switch (geometry)
        {
            case Point point when point.IsEmpty:
                Append(buffer, "[]"u8);
                return;
            case Point point:
                AppendPosition(buffer, point.CoordinateSequence, 0, decimals);
                return;
            case LineString line:
                AppendPositions(buffer, line.CoordinateSequence, decimals);
                return;
            case Polygon polygon:
                Append(buffer, "["u8);
                if (!polygon.IsEmpty)
                {
                    AppendPositions(buffer, polygon.Shell.CoordinateSequence, decimals);
                    foreach (var hole in polygon.Holes)
                    {
                        Append(buffer, ","u8);
                        AppendPositions(buffer, hole.CoordinateSequence, decimals);
                    }
                }
                Append(buffer, "]"u8);
                return;
            default:
                Append(buffer, "["u8);
                for (var i = 0; i < geometry.NumGeometries; i++)
                {
                    if (i > 0) Append(buffer, ","u8);
                    AppendCoordinates(buffer, geometry.GetGeometryN(i), decimals);
                }
                Append(buffer, "]"u8);
                return;
        }
    }

    private static void AppendPositions(ArrayBufferWriter<byte> buffer, CoordinateSequence sequence, int decimals)
    {
        Append(buffer, "["u8);
        for (var i = 0; i < sequence.Count; i++)
        {
            if (i > 0) Append(buffer, ","u8);
            AppendPosition(buffer, sequence, i, decimals);
        }
        Append(buffer, "]"u8);
    }

    /// <summary>[x,y] or [x,y,z]; a height of NaN (NetTopologySuite's "none") is left out.</summary>
    private static void AppendPosition(ArrayBufferWriter<byte> buffer, CoordinateSequence sequence, int index, int decimals)
    {
        var span = buffer.GetSpan(PositionBytes);
        span[0] = (byte)'[';
        var length = 1;
        length += FormatOrdinate(sequence.GetX(index), decimals, span[length..]);
        span[length++] = (byte)',';
        length += FormatOrdinate(sequence.GetY(index), decimals, span[length..]);
        if (sequence.HasZ && sequence.GetZ(index) is var z && !double.IsNaN(z))
        {
            span[length++] = (byte)',';
            length += FormatOrdinate(z, decimals, span[length..]);
        }
        span[length++] = (byte)']';
        buffer.Advance(length);
    }

    /// <summary>
    /// The ordinate rounded to <paramref name="decimals"/>, in the shortest form: the whole part, then the decimals
    /// without trailing zeros (10, 10.5, -0.000000001). Values too large to scale to an integer exactly are written
    /// rounded, in the shortest form that reads back as the same double.
    /// </summary>
    internal static int FormatOrdinate(double value, int decimals, Span<byte> destination)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"GeoJSON positions must be finite numbers, not {value}.", nameof(value));
        var scaled = Math.Round(value * Powers[decimals]);
        if (Math.Abs(scaled) >= 1e15)
        {
            Math.Round(value, decimals).TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);
            return written;
        }
        // Digits right to left: the decimals (trailing zeros skipped), the point, the whole part, the sign.
        Span<byte> digits = stackalloc byte[24];
        var start = digits.Length;
        var units = (ulong)Math.Abs(scaled);
        var places = decimals;
        while (places > 0 && units % 10 == 0)
        {
            units /= 10;
            places--;
        }
        for (; places > 0; places--)
        {
            digits[--start] = (byte)('0' + (int)(units % 10));
            units /= 10;
        }
        if (start < digits.Length) digits[--start] = (byte)'.';
        do
        {
            digits[--start] = (byte)('0' + (int)(units % 10));
            units /= 10;
        }
        while (units != 0);
        if (scaled < 0) digits[--start] = (byte)'-';
        digits[start..].CopyTo(destination);
        return digits.Length - start;
    }

    private static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);
}
