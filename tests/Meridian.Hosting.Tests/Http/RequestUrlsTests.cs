using System.Net;
using Meridian.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Tests.Http;

public sealed class RequestUrlsTests
{
    private static HttpRequest Request(string? host, string localAddress, string pathBase = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        if (host is not null) context.Request.Host = new HostString(host);
        context.Request.PathBase = pathBase;
        context.Connection.LocalIpAddress = IPAddress.Parse(localAddress);
        context.Connection.LocalPort = 8080;
        return context.Request;
    }

    [Fact]
    public void Base_NamesTheHostTheClientUsed() =>
        Assert.Equal("http://maps.example.org/geo", RequestUrls.Base(Request("maps.example.org", "10.0.0.5", "/geo")));

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:8080")]
    [InlineData("::ffff:10.0.0.5", "http://10.0.0.5:8080")]
    [InlineData("::1", "http://[::1]:8080")]
    [InlineData("fe80::1%2", "http://[fe80::1%252]:8080")]
    public void Base_WithoutAHost_NamesTheAddressTheRequestReached(string localAddress, string expected) =>
        Assert.Equal(expected, RequestUrls.Base(Request(null, localAddress)));
}
