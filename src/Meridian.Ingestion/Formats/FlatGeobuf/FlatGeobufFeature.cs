using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Formats.FlatGeobuf;

/// <summary>One FlatGeobuf feature (src/fbs/feature.fbs): its geometry and its properties in the binary column encoding.</summary>
internal static class FlatGeobufFeature
{
    // Fields of table Feature, then of table Geometry.
    private const int GeometryField = 0, PropertiesField = 1, ColumnsField = 2;
    private const int EndsField = 0, XyField = 1, ZField = 2, TypeField = 6, PartsField = 7;

    /// <summary>Nested geometry collections deeper than this are refused rather than recursed into.</summary>
    private const int MaxNesting = 32;

    public static SourceFeature Read(byte[] buffer, long record, FlatGeobufHeader header)
    {
        try
        {
            var feature = FlatBufferTable.Root(buffer);
            // A feature may carry its own schema when the header has none.
            var columns = feature.Has(ColumnsField) ? FlatGeobufColumn.ReadAll(feature, ColumnsField) : header.Columns;
            var geometry = feature.Table(GeometryField) is { } g ? Geometry(g, header.GeometryType, header.HasZ, 0) : null;
            return new SourceFeature(record, null, geometry is { IsEmpty: false } ? geometry : null, Properties(feature.Bytes(PropertiesField), columns));
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return SourceFeature.Rejected(record, $"the feature cannot be read: {e.Message}");
        }
    }

    private static Geometry Geometry(FlatBufferTable g, FlatGeobufGeometryType declared, bool hasZ, int depth)
    {
        if (depth > MaxNesting) throw new InvalidDataException($"geometries are nested more than {MaxNesting} deep.");
        var type = g.Byte(TypeField) is var own and > 0 ? (FlatGeobufGeometryType)own : declared;
        var factory = GeometryServices.Factory;
        if (type is FlatGeobufGeometryType.MultiPolygon or FlatGeobufGeometryType.GeometryCollection)
        {
            var parts = g.Tables(PartsField).Select(p => Geometry(p, type == FlatGeobufGeometryType.MultiPolygon ? FlatGeobufGeometryType.Polygon : FlatGeobufGeometryType.Unknown, hasZ, depth + 1)).ToArray();
            return type == FlatGeobufGeometryType.MultiPolygon
                ? factory.CreateMultiPolygon(parts.Select(p => p as Polygon ?? throw new InvalidDataException("a MultiPolygon part is not a Polygon.")).ToArray())
                : factory.CreateGeometryCollection(parts);
        }
        var coordinates = Coordinates(g, hasZ);
        var ends = MemoryMarshal.Cast<byte, uint>(g.Bytes(EndsField, 4)).ToArray();
        if (!BitConverter.IsLittleEndian) ends = ends.Select(BinaryPrimitives.ReverseEndianness).ToArray();
        return type switch
        {
            FlatGeobufGeometryType.Point => coordinates.Length == 0 ? factory.CreatePoint() : factory.CreatePoint(coordinates[0]),
            FlatGeobufGeometryType.MultiPoint => factory.CreateMultiPointFromCoords(coordinates),
            FlatGeobufGeometryType.LineString => factory.CreateLineString(coordinates),
            FlatGeobufGeometryType.MultiLineString => factory.CreateMultiLineString(Split(coordinates, ends).Select(factory.CreateLineString).ToArray()),
            FlatGeobufGeometryType.Polygon => Polygon(Split(coordinates, ends)),
            _ => throw new InvalidDataException($"geometry type {(byte)type} is not read (curves and surfaces are not supported)."),
        };
    }

    private static Polygon Polygon(List<Coordinate[]> rings)
    {
        var factory = GeometryServices.Factory;
        if (rings.Count == 0) return factory.CreatePolygon();
        return factory.CreatePolygon(factory.CreateLinearRing(rings[0]), rings.Skip(1).Select(factory.CreateLinearRing).ToArray());
    }

    private static Coordinate[] Coordinates(FlatBufferTable g, bool hasZ)
    {
        var xy = g.Bytes(XyField, 8);
        var z = hasZ ? g.Bytes(ZField, 8) : default;
        var coordinates = new Coordinate[xy.Length / 16];
        for (var i = 0; i < coordinates.Length; i++)
        {
            var x = BinaryPrimitives.ReadDoubleLittleEndian(xy[(i * 16)..]);
            var y = BinaryPrimitives.ReadDoubleLittleEndian(xy[(i * 16 + 8)..]);
            coordinates[i] = z.Length >= (i + 1) * 8 ? new CoordinateZ(x, y, BinaryPrimitives.ReadDoubleLittleEndian(z[(i * 8)..])) : new Coordinate(x, y);
        }
        return coordinates;
    }

    /// <summary>Cuts the flat coordinates at the part ends (coordinate indexes); no ends means one part.</summary>
    private static List<Coordinate[]> Split(Coordinate[] coordinates, uint[] ends)
    {
        if (ends.Length == 0) return coordinates.Length == 0 ? [] : [coordinates];
        var parts = new List<Coordinate[]>(ends.Length);
        var start = 0;
        foreach (var end in ends)
        {
            if (end < start || end > coordinates.Length) throw new InvalidDataException($"a part ends at coordinate {end}, outside 0..{coordinates.Length}.");
            parts.Add(coordinates[start..(int)end]);
            start = (int)end;
        }
        return parts;
    }

    /// <summary>Pairs of a 16-bit column index and a value encoded by the column's type (strings and blobs with a 32-bit length).</summary>
    private static List<KeyValuePair<string, object?>> Properties(ReadOnlySpan<byte> bytes, IReadOnlyList<FlatGeobufColumn> columns)
    {
        var properties = new List<KeyValuePair<string, object?>>(columns.Count);
        var at = 0;
        while (at < bytes.Length)
        {
            var index = BinaryPrimitives.ReadUInt16LittleEndian(Take(bytes, ref at, 2));
            if (index >= columns.Count) throw new InvalidDataException($"a property refers to column {index}, but there are {columns.Count}.");
            var column = columns[index];
            object? value = column.Type switch
            {
                FlatGeobufColumnType.Byte => (long)(sbyte)Take(bytes, ref at, 1)[0],
                FlatGeobufColumnType.UByte => (long)Take(bytes, ref at, 1)[0],
                FlatGeobufColumnType.Bool => Take(bytes, ref at, 1)[0] != 0,
                FlatGeobufColumnType.Short => (long)BinaryPrimitives.ReadInt16LittleEndian(Take(bytes, ref at, 2)),
                FlatGeobufColumnType.UShort => (long)BinaryPrimitives.ReadUInt16LittleEndian(Take(bytes, ref at, 2)),
                FlatGeobufColumnType.Int => (long)BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref at, 4)),
                FlatGeobufColumnType.UInt => (long)BinaryPrimitives.ReadUInt32LittleEndian(Take(bytes, ref at, 4)),
                FlatGeobufColumnType.Long => BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref at, 8)),
                FlatGeobufColumnType.ULong => BinaryPrimitives.ReadUInt64LittleEndian(Take(bytes, ref at, 8)) is var u && u <= long.MaxValue ? (long)u : (double)u,
                FlatGeobufColumnType.Float => Finite(BinaryPrimitives.ReadSingleLittleEndian(Take(bytes, ref at, 4)), column),
                FlatGeobufColumnType.Double => Finite(BinaryPrimitives.ReadDoubleLittleEndian(Take(bytes, ref at, 8)), column),
                FlatGeobufColumnType.String or FlatGeobufColumnType.DateTime => Text(bytes, ref at),
                FlatGeobufColumnType.Json => new RawJson(Text(bytes, ref at)),
                FlatGeobufColumnType.Binary => Convert.ToBase64String(Take(bytes, ref at, Length(bytes, ref at))),
                _ => throw new InvalidDataException($"column '{column.Name}' has the unknown type {(byte)column.Type}."),
            };
            properties.Add(new(column.Name, value));
        }
        return properties;
    }

    private static double Finite(double value, FlatGeobufColumn column) =>
        double.IsFinite(value) ? value : throw new InvalidDataException($"column '{column.Name}' holds {value}, not a finite number.");

    private static string Text(ReadOnlySpan<byte> bytes, ref int at) => Encoding.UTF8.GetString(Take(bytes, ref at, Length(bytes, ref at)));

    private static int Length(ReadOnlySpan<byte> bytes, ref int at) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Take(bytes, ref at, 4)) is var length && length <= int.MaxValue ? (int)length : int.MaxValue;

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int at, int length)
    {
        if (length > bytes.Length - at) throw new InvalidDataException("the properties end inside a value.");
        var taken = bytes.Slice(at, length);
        at += length;
        return taken;
    }
}
