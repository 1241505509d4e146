using Meridian.Hosting.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class CachedRepresentationTests
{
    [Theory]
    [InlineData(200, "application/geo+json", "br")]
    [InlineData(200, "application/vnd.mapbox-vector-tile", null)]
    [InlineData(204, null, null)]
    [InlineData(200, "text/html; charset=utf-8", "gzip")]
    [InlineData(200, "application/x-made-up; q=\"ü\"", "zstd")]
    [InlineData(200, "", "")]
    public void EncodeDecode_RoundTrips(int status, string? contentType, string? contentEncoding)
    {
        byte[] body = status == 204 ? [] : [0, 1, 2, 255, 254];
        var representation = CachedRepresentation.Of(status, contentType, contentEncoding, null, body);

        var decoded = CachedRepresentation.Decode(representation.Encode());

        Assert.Equal(status, decoded.Status);
        Assert.Equal(contentType, decoded.ContentType);
        Assert.Equal(contentEncoding, decoded.ContentEncoding);
        Assert.Equal(representation.ETag, decoded.ETag);
        Assert.Equal(body, decoded.Body.ToArray());
    }

    [Fact]
    public void Decode_TheSameArray_IsDecodedOnce_AnotherArrayOnItsOwn()
    {
        var bytes = CachedRepresentation.Of(200, "application/vnd.mapbox-vector-tile", "gzip", null, new byte[] { 1, 2, 3 }).Encode();
        var copy = bytes.ToArray();

        var first = CachedRepresentation.Decode(bytes);

        Assert.Same(first, CachedRepresentation.Decode(bytes));
        Assert.NotSame(first, CachedRepresentation.Decode(copy));
        Assert.Equal(first.ETag, CachedRepresentation.Decode(copy).ETag);
    }

    [Fact]
    public void Of_Ok_IsTaggedFromItsBytes_NoContentIsNot()
    {
        byte[] body = [1, 2, 3];

        Assert.Equal(EntityTag.Of(body), CachedRepresentation.Of(200, "application/json", null, null, body).ETag);
        Assert.Null(CachedRepresentation.Of(204, null, null, null, Array.Empty<byte>()).ETag);
    }

    [Fact]
    public void Of_KeepsTheHandlersTag_MarkedWithTheCoding()
    {
        byte[] body = [1, 2, 3];

        Assert.Equal("\"feature\"", CachedRepresentation.Of(200, "application/geo+json", null, "\"feature\"", body).ETag);
        Assert.Equal("\"feature-gzip\"", CachedRepresentation.Of(200, "application/geo+json", "gzip", "\"feature\"", body).ETag);
    }

    [Fact]
    public void Encode_EmptyHeaderTexts_AreKeptApartFromMissingOnes()
    {
        var decoded = CachedRepresentation.Decode(CachedRepresentation.Of(200, "", null, null, new byte[] { 9 }).Encode());

        Assert.Equal("", decoded.ContentType);
        Assert.Null(decoded.ContentEncoding);
    }
}
