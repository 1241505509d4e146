using Meridian.Hosting.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Meridian.Hosting.Tests.Http;

public sealed class CodingNegotiationTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddLogging()
        .AddResponseCompression(o =>
        {
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        })
        .BuildServiceProvider();

    private IResponseCompressionProvider Provider => _services.GetRequiredService<IResponseCompressionProvider>();

    private HttpContext Request(StringValues acceptEncoding)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        if (!StringValues.IsNullOrEmpty(acceptEncoding)) context.Request.Headers.AcceptEncoding = acceptEncoding;
        return context;
    }

    private string? Framework(StringValues acceptEncoding)
    {
        var context = Request(acceptEncoding);
        return Provider.CheckRequestAcceptsCompression(context) ? Provider.GetCompressionProvider(context)?.EncodingName : null;
    }

    [Theory]
    [InlineData("gzip, deflate, br, zstd")]
    [InlineData("gzip")]
    [InlineData("br;q=0.5, gzip;q=0.9")]
    [InlineData("identity")]
    [InlineData("gzip;q=0")]
    [InlineData("deflate")]
    [InlineData("*")]
    [InlineData("")]
    [InlineData(",,;q=")]
    public void For_AnswersAsTheFrameworkDoes_FirstAndAgain(string acceptEncoding)
    {
        var negotiation = new CodingNegotiation(Provider);
        var expected = Framework(acceptEncoding);

        Assert.Equal(expected, negotiation.For(Request(acceptEncoding)));
        Assert.Equal(expected, negotiation.For(Request(acceptEncoding)));
    }

    [Fact]
    public void For_DifferentValues_AreNotConfused()
    {
        var negotiation = new CodingNegotiation(Provider);

        Assert.Equal("br", negotiation.For(Request("gzip, br")));
        Assert.Equal("gzip", negotiation.For(Request("gzip")));
        Assert.Null(negotiation.For(Request("identity")));
        Assert.Null(negotiation.For(Request(StringValues.Empty)));
        Assert.Equal("br", negotiation.For(Request("gzip, br")));
        Assert.Equal("gzip", negotiation.For(Request("gzip")));
    }

    [Fact]
    public void For_SeveralHeaderLines_AreNegotiatedTogether()
    {
        var negotiation = new CodingNegotiation(Provider);
        StringValues lines = new(["gzip;q=0.5", "br"]);

        Assert.Equal(Framework(lines), negotiation.For(Request(lines)));
        Assert.Equal("br", negotiation.For(Request(lines)));
    }

    [Fact]
    public void For_ManyDistinctValues_StillAnswersEachCorrectly()
    {
        var negotiation = new CodingNegotiation(Provider);

        for (var i = 0; i < 1000; i++)
        {
            var value = i % 2 == 0 ? $"gzip, x-{i}" : $"br, x-{i}";
            Assert.Equal(i % 2 == 0 ? "gzip" : "br", negotiation.For(Request(value)));
        }
        Assert.Equal("br", negotiation.For(Request("br, x-1")));
        Assert.InRange(negotiation.Remembered, 1, 256);
    }

    public void Dispose() => _services.Dispose();
}
