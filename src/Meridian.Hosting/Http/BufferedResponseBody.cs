using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Meridian.Hosting.Http;

/// <summary>
/// Holds a response body back until it is complete, so that its ETag and length can go in the headers, for
/// bodies up to a limit. A larger body is not held: at the limit, <paramref name="overflowing"/> gets to set the
/// headers, what was held goes out, and the rest streams straight through, so memory stays bounded.
/// </summary>
internal sealed class BufferedResponseBody(IHttpResponseBodyFeature inner, int limit, Action overflowing) : Stream, IHttpResponseBodyFeature
{
    private readonly MemoryStream _held = new();
    private PipeWriter? _writer;

    /// <summary>True once the body outgrew the limit and is streaming.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The complete body, when it did not overflow.</summary>
    public ReadOnlyMemory<byte> Held => _held.GetBuffer().AsMemory(0, (int)_held.Length);

    Stream IHttpResponseBodyFeature.Stream => this;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) =>
        Overflowed ? inner.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    /// <summary>Pushes out what the handler wrote through <see cref="Writer"/>; the held body stays for the caller.</summary>
    public async Task CompleteAsync()
    {
        if (_writer is not null) await _writer.FlushAsync();
        if (Overflowed) await inner.CompleteAsync();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Overflowed && _held.Length + buffer.Length <= limit)
        {
            _held.Write(buffer.Span);
            return;
        }
        if (!Overflowed)
        {
            Overflowed = true;
            overflowing();
            await inner.Stream.WriteAsync(Held, cancellationToken);
            _held.SetLength(0);
        }
        await inner.Stream.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
        if (Overflowed) inner.Stream.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Overflowed ? inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
