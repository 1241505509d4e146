using System.Net;
using Meridian.Gateway.Tests.Composition;

namespace Meridian.Gateway.Tests.RateLimiting;

public sealed class RateLimitMiddlewareTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static Dictionary<string, string?> Rule(string algorithm, int limit, string? redisConnection = null) => new()
    {
        ["Gateway:RateLimiting:Rules:0:Name"] = "per-ip",
        ["Gateway:RateLimiting:Rules:0:Partition"] = "ClientIp",
        ["Gateway:RateLimiting:Rules:0:Algorithm"] = algorithm,
        ["Gateway:RateLimiting:Rules:0:Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway:RateLimiting:Rules:0:Window"] = "01:00:00",
        ["Gateway:RedisConnectionString"] = redisConnection,
    };

    [Theory]
    [InlineData("FixedWindow")]
    [InlineData("TokenBucket")]
    public async Task OverTheLimit_Is429WithRetryAfterAndRateLimitFields(string algorithm)
    {
        await using var host = await MeridianTestHost.StartAsync(Rule(algorithm, 2));

        var first = await host.Client.GetAsync("/collections");
        await host.Client.GetAsync("/collections");
        var refused = await host.Client.GetAsync("/collections");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"per-ip\";q=2;w=3600", first.Headers.GetValues("RateLimit-Policy").Single());
        Assert.StartsWith("\"per-ip\";r=1;t=", first.Headers.GetValues("RateLimit").Single());
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("urn:meridian:problem:rate-limited", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TwoGateways_ShareTheirCountersThroughRedis()
    {
        // A fresh rule name per run: the counters of an earlier run may still live in a shared Redis.
        var settings = Rule("FixedWindow", 4, redis.ConnectionString);
        settings["Gateway:RateLimiting:Rules:0:Name"] = "shared-" + Guid.NewGuid().ToString("N")[..8];
        await using var one = await MeridianTestHost.StartAsync(settings);
        await using var two = await MeridianTestHost.StartAsync(settings);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await one.Client.GetAsync("/collections")).StatusCode);
            statuses.Add((await two.Client.GetAsync("/collections")).StatusCode);
        }

        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal([(HttpStatusCode)429, (HttpStatusCode)429], statuses[4..]);
    }

    [Theory]
    [InlineData("FixedWindow")]
    [InlineData("TokenBucket")]
    public async Task RedisAway_RequestsAreServedAndStillLimitedByThisReplica(string algorithm)
    {
        // A port nothing listens on: every connection to it is refused, as by a Redis that is down.
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var host = await MeridianTestHost.StartAsync(Rule(algorithm, 2, $"127.0.0.1:{port}"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await host.Client.GetAsync("/collections")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
    }
}
