namespace Meridian.Ingestion.Tests.Formats.GeoJson;

/// <summary>
/// A read-only stream that hands out at most a few bytes per read, as a slow network or a pipe may: the
/// reader must not assume that a read fills its buffer.
/// </summary>
internal sealed class TrickleStream(Stream inner, Func<int> chunkSize) : Stream
{
    public TrickleStream(Stream inner, int bytesPerRead) : this(inner, () => bytesPerRead)
    {
    }

    public int Reads { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        return inner.Read(buffer[..Math.Min(buffer.Length, Math.Max(1, chunkSize()))]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Reads++;
        return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, Math.Max(1, chunkSize()))], cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
