using System.Buffers.Binary;
using System.Text;

namespace Meridian.Ingestion.Formats.FlatGeobuf;

/// <summary>
/// A table in a FlatBuffers buffer, read by field index as the FlatBuffers binary format lays it out (a
/// vtable of field offsets, scalars inline, strings, vectors and sub-tables behind 32-bit offsets). Every
/// read is bounds-checked: a damaged buffer is an <see cref="InvalidDataException"/>, never a crash.
/// </summary>
internal readonly struct FlatBufferTable
{
    private readonly byte[] _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableLength;

    private FlatBufferTable(byte[] buffer, int position)
    {
        _buffer = buffer;
        _position = position;
        var vtable = (long)position - ReadInt32(buffer, position);
        _vtable = vtable >= 0 && vtable < buffer.Length ? (int)vtable : throw new InvalidDataException("a table's vtable lies outside its buffer.");
        _vtableLength = ReadUInt16(buffer, _vtable);
    }

    /// <summary>The root table of a buffer (its first 4 bytes are the root's offset).</summary>
    public static FlatBufferTable Root(byte[] buffer) => new(buffer, Offset(buffer, 0));

    public bool Has(int field) => FieldOffset(field) != 0;

    public byte Byte(int field, byte fallback = 0) => FieldOffset(field) is var o and > 0 ? Check(_buffer, _position + o, 1)[0] : fallback;

    public bool Bool(int field, bool fallback = false) => FieldOffset(field) is var o and > 0 ? Check(_buffer, _position + o, 1)[0] != 0 : fallback;

    public ushort UInt16(int field, ushort fallback = 0) => FieldOffset(field) is var o and > 0 ? ReadUInt16(_buffer, _position + o) : fallback;

    public int Int32(int field, int fallback = 0) => FieldOffset(field) is var o and > 0 ? ReadInt32(_buffer, _position + o) : fallback;

    public ulong UInt64(int field) => FieldOffset(field) is var o and > 0 ? BinaryPrimitives.ReadUInt64LittleEndian(Check(_buffer, _position + o, 8)) : 0;

    public string? String(int field) => Vector(field, 1) is { } v ? Encoding.UTF8.GetString(_buffer, v.Start, v.Length) : null;

    public FlatBufferTable? Table(int field) => FieldOffset(field) is var o and > 0 ? new FlatBufferTable(_buffer, Offset(_buffer, _position + o)) : null;

    /// <summary>A vector's elements as raw bytes (for ubyte vectors) or as little-endian values of the given size.</summary>
    public ReadOnlySpan<byte> Bytes(int field, int elementSize = 1) => Vector(field, elementSize) is { } v ? _buffer.AsSpan(v.Start, v.Length) : default;

    public int Count(int field, int elementSize) => Vector(field, elementSize) is { } v ? v.Length / elementSize : 0;

    public List<FlatBufferTable> Tables(int field)
    {
        var tables = new List<FlatBufferTable>();
        if (Vector(field, 4) is not { } v) return tables;
        for (var at = v.Start; at < v.Start + v.Length; at += 4) tables.Add(new FlatBufferTable(_buffer, Offset(_buffer, at)));
        return tables;
    }

    private (int Start, int Length)? Vector(int field, int elementSize)
    {
        if (FieldOffset(field) is not (var o and > 0)) return null;
        var vector = Offset(_buffer, _position + o);
        var count = (long)ReadUInt32(_buffer, vector);
        var length = count * elementSize;
        if (length > _buffer.Length - (long)vector - 4) throw new InvalidDataException($"a vector of {count} elements runs past the end of its buffer.");
        return (vector + 4, (int)length);
    }

    private int FieldOffset(int field)
    {
        var entry = 4 + 2 * field;
        return entry + 2 <= _vtableLength ? ReadUInt16(_buffer, _vtable + entry) : 0;
    }

    private static int Offset(byte[] buffer, int at)
    {
        var target = at + (long)ReadUInt32(buffer, at);
        return target < buffer.Length ? (int)target : throw new InvalidDataException("an offset points past the end of its buffer.");
    }

    private static ushort ReadUInt16(byte[] buffer, int at) => BinaryPrimitives.ReadUInt16LittleEndian(Check(buffer, at, 2));

    private static int ReadInt32(byte[] buffer, int at) => BinaryPrimitives.ReadInt32LittleEndian(Check(buffer, at, 4));

    private static uint ReadUInt32(byte[] buffer, int at) => BinaryPrimitives.ReadUInt32LittleEndian(Check(buffer, at, 4));

    private static ReadOnlySpan<byte> Check(byte[] buffer, int at, int length) =>
        at >= 0 && (long)at + length <= buffer.Length ? buffer.AsSpan(at, length) : throw new InvalidDataException("a field lies outside its buffer.");
}
