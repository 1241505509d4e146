namespace Meridian.Storage.Objects;

/// <summary>A read-only stream of several streams one after the other, each opened only when reached.</summary>
internal sealed class ConcatenatedStream(IEnumerable<Func<CancellationToken, Task<Stream>>> parts) : Stream
{
    private readonly IEnumerator<Func<CancellationToken, Task<Stream>>> _parts = parts.GetEnumerator();
    private Stream? _current;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_current is null)
            {
                if (!_parts.MoveNext()) return 0;
                _current = await _parts.Current(cancellationToken);
            }
            var n = await _current.ReadAsync(buffer, cancellationToken);
            if (n > 0 || buffer.Length == 0) return n;
            await _current.DisposeAsync();
            _current = null;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The parts are opened asynchronously; a synchronous reader waits for them.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _parts.Dispose();
        }
        base.Dispose(disposing);
    }
}
