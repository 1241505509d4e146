using System.Text.Json;

namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// Forward-only JSON tokens over a stream of any size. Only the value being read is held in memory, so a
/// FeatureCollection of millions of features costs the memory of its largest feature, bounded by a limit.
/// </summary>
internal sealed class JsonTokenStream(Stream stream, int maxValueBytes)
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 128, CommentHandling = JsonCommentHandling.Skip };

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _bomChecked;
    private JsonReaderState _state = new(Options);

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The text of the current property name or string token.</summary>
    public string? Text { get; private set; }

    /// <summary>Bytes of the stream consumed so far, for error messages.</summary>
    public long Position { get; private set; }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryRead()) return true;
            if (_endOfStream) return false;
            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads the next whole value (object, array or primitive) and returns its bytes.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadValueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadValue(out var value)) return value;
            if (_endOfStream) throw new JsonException($"the file ends inside a value (byte {Position}).");
            await FillAsync(cancellationToken);
        }
    }

    private bool TryRead()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _endOfStream, _state);
        if (!reader.Read()) return false;
        TokenType = reader.TokenType;
        Text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString() : null;
        Advance(ref reader);
        return true;
    }

    private bool TryReadValue(out ReadOnlyMemory<byte> value)
    {
        value = default;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _endOfStream, _state);
        if (!reader.Read()) return false;
        var tokenStart = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip()) return false;
        TokenType = reader.TokenType;
        value = _buffer.AsMemory(_start + tokenStart, (int)reader.BytesConsumed - tokenStart);
        Advance(ref reader);
        return true;
    }

    private void Advance(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        Position += reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            if (_buffer.Length >= maxValueBytes)
                throw new InvalidDataException($"a single value is larger than the {maxValueBytes / (1024 * 1024)} MiB limit (byte {Position}).");
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxValueBytes));
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        _start = 0;
        _end = pending;
        await ReadMoreAsync(cancellationToken);
        while (!_bomChecked && !TrySkipByteOrderMark()) await ReadMoreAsync(cancellationToken);
    }

    private async ValueTask ReadMoreAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0) _endOfStream = true;
        _end += read;
    }

    /// <summary>
    /// Skips a leading UTF-8 byte order mark, as JsonDocument and JsonSerializer do (Utf8JsonReader does not);
    /// false while too few bytes have arrived to tell.
    /// </summary>
    private bool TrySkipByteOrderMark()
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < bom.Length && !_endOfStream && bom.StartsWith(available)) return false;
        _bomChecked = true;
        if (available.StartsWith(bom))
        {
            _start += bom.Length;
            Position += bom.Length;
        }
        return true;
    }
}
