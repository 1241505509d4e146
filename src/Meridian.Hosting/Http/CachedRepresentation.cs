using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Meridian.Hosting.Http;

/// <summary>
/// A finished response as Meridian caches it: status, the headers that describe the body, the strong ETag, and
/// the body exactly as sent (compressed when it was), so that a hit costs no work but copying bytes.
/// </summary>
internal sealed record CachedRepresentation(int Status, string? ContentType, string? ContentEncoding, string? ETag, ReadOnlyMemory<byte> Body)
{
    /// <summary>
    /// A 200 keeps the tag its handler gave it (a feature's, which conditional writes compare with), marked with the
    /// content coding, or else gets the strong tag of its bytes; a 204 has no body to tag.
    /// </summary>
    public static CachedRepresentation Of(int status, string? contentType, string? contentEncoding, string? handlerTag, ReadOnlyMemory<byte> body) =>
        new(status, contentType, contentEncoding,
            status != 200 ? null : handlerTag is { Length: > 0 } tag ? EntityTag.ForCoding(tag, contentEncoding) : EntityTag.Of(body.Span), body);

    /// <summary>Layout: status (2 bytes), three length-prefixed UTF-8 strings (2-byte lengths, 0xFFFF for none), then the body.</summary>
    public byte[] Encode()
    {
        string?[] texts = [ContentType, ContentEncoding, ETag];
        var size = 2 + texts.Sum(t => 2 + (t is null ? 0 : Encoding.UTF8.GetByteCount(t))) + Body.Length;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)Status);
        var at = 2;
        foreach (var text in texts)
        {
            if (text is null)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[at..], ushort.MaxValue);
                at += 2;
                continue;
            }
            var length = Encoding.UTF8.GetBytes(text, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)length);
            at += 2 + length;
        }
        Body.Span.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary>
    /// The representation in bytes made by <see cref="Encode"/>; the body is not copied. Each array is decoded once:
    /// the cache hands every hit of an entry the same (immutable) array, and a hit then makes no object or string.
    /// </summary>
    public static CachedRepresentation Decode(byte[] bytes) => Decoded.GetValue(bytes, Read);

    /// <summary>Decoded representations, each living as long as its array (as long as the cache keeps the entry).</summary>
    private static readonly ConditionalWeakTable<byte[], CachedRepresentation> Decoded = new();

    private static CachedRepresentation Read(byte[] bytes)
    {
        var at = 2;
        var status = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        var contentType = Text(bytes, ref at);
        var contentEncoding = Text(bytes, ref at);
        var etag = Text(bytes, ref at);
        return new CachedRepresentation(status, contentType, contentEncoding, etag, bytes.AsMemory(at));
    }

    private static string? Text(byte[] bytes, ref int at)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at));
        at += 2;
        if (length == ushort.MaxValue) return null;
        var text = Encoding.UTF8.GetString(bytes, at, length);
        at += length;
        return text;
    }
}
