using System.Text.Json.Nodes;
using Meridian.Hosting.Configuration;

namespace Meridian.Hosting.Tests.Configuration;

public sealed class OptionsPrinterTests
{
    [Fact]
    public void Dictionaries_PrintAsObjectsByKey_WithSecretsStillMasked()
    {
        var options = new MeridianOptions();
        options.Security.ApiKeys.Add("a-key-of-at-least-16-characters");
        options.Gateway.RedisConnectionString = "redis:6379,password=hunter2";
        options.Gateway.Auth.CollectionTenants["countries"] = "acme";
        options.Gateway.Routes["ogc"] = new GatewayRouteOptions { PathPrefix = "/collections", Cluster = "features" };
        options.Gateway.Clusters["features"] = new GatewayClusterOptions { Destinations = ["http://features-1:8080"] };

        var json = OptionsPrinter.ToJson(options);
        var gateway = JsonNode.Parse(json)!["Meridian"]!["Gateway"]!;

        Assert.Equal("features", (string?)gateway["Routes"]!["ogc"]!["Cluster"]);
        Assert.Equal("http://features-1:8080", (string?)gateway["Clusters"]!["features"]!["Destinations"]![0]);
        Assert.Equal("acme", (string?)gateway["Auth"]!["CollectionTenants"]!["countries"]);
        Assert.Equal(OptionsPrinter.Mask, (string?)gateway["RedisConnectionString"]);
        Assert.DoesNotContain("hunter2", json);
        Assert.DoesNotContain("a-key-of-at-least-16-characters", json);
    }
}
