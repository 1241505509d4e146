using System.Buffers.Binary;
using System.Text;

namespace Meridian.Storage.PostGis;

/// <summary>
/// Rows of a binary COPY being encoded: big-endian fields in a growing array, written out to the COPY in blocks.
/// It is also a write-only <see cref="Stream"/>, so that a geometry writer can write into it; disposing it (as such
/// writers do when they are done) keeps it usable.
/// </summary>
internal sealed class CopyRowBuffer : Stream
{
    // Text is sent in UTF-8, as Npgsql sends it: a string that is not valid UTF-16 is an error, not replaced.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private byte[] _bytes = new byte[64 * 1024];
    private int _length;

    public int Count => _length;

    public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, _length);

    /// <summary>Forgets what was written from <paramref name="count"/> bytes on.</summary>
    public void Truncate(int count) => _length = count;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    /// <summary>A field of <paramref name="value"/>'s UTF-8 bytes, after their length.</summary>
    public void WriteTextField(string value)
    {
        var start = _length;
        var span = Reserve(4 + Utf8.GetMaxByteCount(value.Length));
        var length = Utf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _length = start + 4 + length;
    }

    /// <summary>Sets the length field written at <paramref name="lengthAt"/> to the bytes written after it.</summary>
    public void EndField(int lengthAt) => BinaryPrimitives.WriteInt32BigEndian(_bytes.AsSpan(lengthAt), _length - lengthAt - 4);

    private Span<byte> Reserve(int count)
    {
        if (_bytes.Length - _length < count) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
        var span = _bytes.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public override void Write(ReadOnlySpan<byte> buffer) => buffer.CopyTo(Reserve(buffer.Length));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Reserve(1)[0] = value;

    // What is written stays until the COPY takes it; a writer closing this stream ends nothing.
    protected override void Dispose(bool disposing)
    {
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
