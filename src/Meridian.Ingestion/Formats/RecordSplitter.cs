namespace Meridian.Ingestion.Formats;

/// <summary>
/// Splits a stream into records at any of the separator bytes, with bounded memory: a record longer than
/// the limit is skipped up to its end and reported as oversized.
/// </summary>
internal sealed class RecordSplitter(Stream stream, int maxRecordBytes, byte[] separators)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _first = true;

    /// <summary>A record without its separator; trimmed of whitespace, so that blank lines are empty.</summary>
    public readonly record struct Line(ReadOnlyMemory<byte> Bytes, bool Oversized)
    {
        public bool IsEmpty => Bytes.IsEmpty && !Oversized;
    }

    /// <summary>The next record, or null at the end of the stream. The bytes are valid until the next call.</summary>
    public async ValueTask<Line?> ReadAsync(CancellationToken cancellationToken)
    {
        var oversized = false;
        var scanned = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var at = pending.IndexOfAny(separators);
            if (at >= 0)
            {
                var line = _buffer.AsMemory(_start, scanned + at);
                _start += scanned + at + 1;
                return Trimmed(line, oversized);
            }
            if (_endOfStream)
            {
                if (_start == _end && !oversized) return null;
                var line = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return Trimmed(line, oversized);
            }
            scanned = _end - _start;
            if (scanned >= maxRecordBytes)
            {
                // Drop what is held of the oversized record and keep looking for its end.
                oversized = true;
                _start = _end;
                scanned = 0;
            }
            await FillAsync(cancellationToken);
        }
    }

    private Line Trimmed(Memory<byte> line, bool oversized)
    {
        if (_first && line.Span.StartsWith(FileHead.Utf8Bom)) line = line[FileHead.Utf8Bom.Length..];
        _first = false;
        var span = line.Span;
        var start = span.Length - span.TrimStart(" \t\r\n"u8).Length;
        var length = span.TrimEnd(" \t\r\n"u8).Length - start;
        return new Line(oversized ? ReadOnlyMemory<byte>.Empty : line.Slice(start, Math.Max(0, length)), oversized);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var pending = _end - _start;
        if (pending == _buffer.Length) Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, Math.Max(maxRecordBytes, _buffer.Length) + 1L));
        else if (_start > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        _start = 0;
        _end = pending;
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0) _endOfStream = true;
        _end += read;
    }
}
