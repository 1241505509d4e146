using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Ingestion.Api;

/// <summary>
/// Turns what <see cref="Microsoft.AspNetCore.WebUtilities.MultipartReader"/> throws about a malformed body (it ends
/// before its closing boundary, a part's headers are too long or never end) into a 400: the request is at fault,
/// not the server. Kestrel's own <see cref="BadHttpRequestException"/> (a body over the size limit, a client gone)
/// keeps its status.
/// </summary>
internal static class MultipartFraming
{
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (IsFraming(e))
        {
            throw Malformed(e);
        }
    }

    /// <summary>A part's body whose reads fail the same way, for the object store to copy from.</summary>
    public static Stream Body(Stream section) => new FramedStream(section);

    private static bool IsFraming(Exception e) => e is InvalidDataException or IOException and not BadHttpRequestException;

    private static ProblemException Malformed(Exception e) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid ingest request", $"The multipart body is malformed: {e.Message}");

    private sealed class FramedStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception e) when (IsFraming(e))
            {
                throw Malformed(e);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (IsFraming(e))
            {
                throw Malformed(e);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
