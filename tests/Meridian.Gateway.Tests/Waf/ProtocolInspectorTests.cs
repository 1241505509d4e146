using Meridian.Gateway.Tests.Waf.Corpus;
using Meridian.Gateway.Waf;
using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.Tests.Waf;

public sealed class ProtocolInspectorTests
{
    [Theory]
    [InlineData("Content-Length", "+12", "proto-content-length")]
    [InlineData("Content-Length", "0x0c", "proto-content-length")]
    [InlineData("X-Note", "a\r\n b", "proto-header-control")]
    [InlineData("X-Forwarded-For", "1.2.3.4\nX-Injected: 1", "proto-header-control")]
    [InlineData("X-A", "a\0b", "proto-header-control")]
    public void Anomaly_IsFound(string header, string value, string rule)
    {
        var request = new WafCase("protocol", "POST", "/collections", new Dictionary<string, string> { [header] = value }).ToHttpContext().Request;

        Assert.Equal(rule, new ProtocolInspector(new WafOptions()).Inspect(request)?.RuleId);
    }

    [Fact]
    public void DecimalContentLength_IsNoAnomaly()
    {
        var request = new WafCase("geojson", "POST", "/collections/a/items", WafCase.NoHeaders, "{}", "application/geo+json").ToHttpContext().Request;

        Assert.Null(new ProtocolInspector(new WafOptions()).Inspect(request));
    }
}
