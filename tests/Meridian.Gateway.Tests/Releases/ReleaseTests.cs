using System.Net;
using System.Text.Json.Nodes;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Releases;
using Meridian.Gateway.Tests.Routing;
using Meridian.Gateway.Tests.Composition;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Releases;

/// <summary>Canary and blue/green releases through the gateway role, in front of real backends on loopback.</summary>
public sealed class ReleaseTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static RouteRelease ReleaseOf(MeridianTestHost gateway, string route = "r") =>
        gateway.Services.GetRequiredService<ReleaseController>().For(route)!;

    private static async Task<(HttpStatusCode Status, string Backend)> GetAsync(MeridianTestHost gateway)
    {
        var response = await gateway.Client.GetAsync("/x");
        return (response.StatusCode, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["backend"]!);
    }

    /// <summary>Sends requests until the release reaches the phase, for at most the given number of requests.</summary>
    private static async Task<int> DriveUntilAsync(MeridianTestHost gateway, ReleasePhase phase, int atMost = 5000, Action? afterEach = null)
    {
        for (var sent = 0; sent < atMost; sent++)
        {
            if (ReleaseOf(gateway).State.Phase == phase) return sent;
            await GetAsync(gateway);
            afterEach?.Invoke();
        }
        throw new Xunit.Sdk.XunitException($"the release did not reach {phase} within {atMost} requests: {ReleaseOf(gateway).State}");
    }

    [Fact]
    public async Task CanaryAnswering500s_IsRolledBackAutomatically_UsersGetStable()
    {
        await using var stable = await TestBackend.StartAsync("stable");
        await using var canary = await TestBackend.StartAsync("canary", (_, _) => Task.FromResult(StatusCodes.Status500InternalServerError));
        var settings = ReleaseGateway.Settings(stable, canary);
        settings["Gateway:Routes:r:Release:StartPercent"] = "10";
        settings["Gateway:Routes:r:Release:MinRequests"] = "5";
        settings["Gateway:Routes:r:Release:Interval"] = "01:00:00";
        await using var gateway = await MeridianTestHost.StartAsync(settings);
        Assert.Equal(10, ReleaseOf(gateway).State.CandidatePercent);

        await DriveUntilAsync(gateway, ReleasePhase.RolledBack);
        var canaryHits = canary.Hits;
        var after = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 30; i++) after.Add(await GetAsync(gateway));

        Assert.InRange(canaryHits, 5, 1000);
        Assert.Equal(canaryHits, canary.Hits);
        Assert.All(after, a => Assert.Equal((HttpStatusCode.OK, "stable"), a));
        var state = ReleaseOf(gateway).State;
        Assert.Equal(0, state.CandidatePercent);
        Assert.Contains("error rate", state.Reason);
    }

    [Fact]
    public async Task SlowCanary_IsRolledBackAutomatically()
    {
        await using var stable = await TestBackend.StartAsync("stable");
        await using var canary = await TestBackend.StartAsync("canary", async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
            return StatusCodes.Status200OK;
        });
        var settings = ReleaseGateway.Settings(stable, canary);
        settings["Gateway:Routes:r:Release:StartPercent"] = "50";
        settings["Gateway:Routes:r:Release:MinRequests"] = "3";
        settings["Gateway:Routes:r:Release:MaxP95Latency"] = "00:00:00.2";
        settings["Gateway:Routes:r:Release:Interval"] = "01:00:00";
        await using var gateway = await MeridianTestHost.StartAsync(settings);

        await DriveUntilAsync(gateway, ReleasePhase.RolledBack, atMost: 100);

        Assert.Contains("p95 latency", ReleaseOf(gateway).State.Reason);
        Assert.Equal((HttpStatusCode.OK, "stable"), await GetAsync(gateway));
    }

    [Fact]
    public async Task HealthyCanary_IsPromotedStepByStep()
    {
        await using var stable = await TestBackend.StartAsync("stable");
        await using var canary = await TestBackend.StartAsync("canary");
        var settings = ReleaseGateway.Settings(stable, canary);
        settings["Gateway:Routes:r:Release:StartPercent"] = "10";
        settings["Gateway:Routes:r:Release:StepPercent"] = "20";
        settings["Gateway:Routes:r:Release:MaxPercent"] = "50";
        settings["Gateway:Routes:r:Release:MinRequests"] = "5";
        settings["Gateway:Routes:r:Release:Interval"] = "00:00:00.2";
        // Latency is not what this test is about; a loaded machine must not roll the canary back.
        settings["Gateway:Routes:r:Release:MaxP95Latency"] = "00:01:00";
        await using var gateway = await MeridianTestHost.StartAsync(settings);

        var shares = new List<int> { ReleaseOf(gateway).State.CandidatePercent };
        await DriveUntilAsync(gateway, ReleasePhase.Promoted, afterEach: () =>
        {
            if (ReleaseOf(gateway).State.CandidatePercent != shares[^1]) shares.Add(ReleaseOf(gateway).State.CandidatePercent);
        });
        var after = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 10; i++) after.Add(await GetAsync(gateway));

        Assert.Equal([10, 30, 50, 100], shares);
        Assert.All(after, a => Assert.Equal((HttpStatusCode.OK, "canary"), a));
        Assert.Equal(3, ReleaseOf(gateway).State.Step);
    }

    [Fact]
    public async Task BlueGreen_SwitchesAndRollsBackThroughTheAdminApi()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        var settings = ReleaseGateway.Settings(blue, green, "BlueGreen");
        settings["Gateway:Auth:Enabled"] = "true";
        await using var gateway = await MeridianTestHost.StartAsync(settings);
        var admin = await ReleaseGateway.KeyAsync(gateway, Scopes.Admin);
        var writer = await ReleaseGateway.KeyAsync(gateway, Scopes.Write);

        var before = await GetAsync(gateway);
        var refused = await AdminAsync(gateway, writer, "r/switch");
        var switched = await AdminAsync(gateway, admin, "r/switch");
        var onGreen = await GetAsync(gateway);
        var rolledBack = await AdminAsync(gateway, admin, "r/rollback");
        var onBlue = await GetAsync(gateway);

        Assert.Equal((HttpStatusCode.OK, "blue"), before);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.Equal("promoted", (string?)JsonNode.Parse(await switched.Content.ReadAsStringAsync())!["phase"]);
        Assert.Equal((HttpStatusCode.OK, "green"), onGreen);
        Assert.Equal("rolledBack", (string?)JsonNode.Parse(await rolledBack.Content.ReadAsStringAsync())!["phase"]);
        Assert.Equal((HttpStatusCode.OK, "blue"), onBlue);
        Assert.Equal(1, green.Hits);
    }

    [Fact]
    public async Task AdminApi_NamesWhatIsWrong()
    {
        await using var stable = await TestBackend.StartAsync("stable");
        await using var canary = await TestBackend.StartAsync("canary");
        var settings = ReleaseGateway.Settings(stable, canary);
        settings["Gateway:Auth:Enabled"] = "true";
        await using var gateway = await MeridianTestHost.StartAsync(settings);
        var admin = await ReleaseGateway.KeyAsync(gateway, Scopes.Admin);

        var unknown = await AdminAsync(gateway, admin, "nope/promote");
        var switchCanary = await AdminAsync(gateway, admin, "r/switch");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("'nope' has no release", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["detail"]);
        Assert.Equal(HttpStatusCode.Conflict, switchCanary.StatusCode);
        Assert.Equal("application/problem+json", switchCanary.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AdminApi_WithoutGatewayAuth_IsRefused()
    {
        await using var stable = await TestBackend.StartAsync("stable");
        await using var canary = await TestBackend.StartAsync("canary");
        await using var gateway = await MeridianTestHost.StartAsync(ReleaseGateway.Settings(stable, canary));

        var response = await gateway.Client.PostAsync("/admin/releases/r/promote", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("admin", await response.Content.ReadAsStringAsync());
        Assert.Equal(ReleasePhase.Progressing, ReleaseOf(gateway).State.Phase);
    }

    [Fact]
    public async Task TwoGateways_AgreeThroughRedis()
    {
        // A fresh route name per run: an earlier run's state may still live in a shared Redis.
        var route = "r" + Guid.NewGuid().ToString("N")[..8];
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        var settings = ReleaseGateway.Settings(blue, green, "BlueGreen", route);
        settings["Gateway:RedisConnectionString"] = redis.ConnectionString;
        await using var one = await MeridianTestHost.StartAsync(settings);
        await using var two = await MeridianTestHost.StartAsync(settings);
        var controller = one.Services.GetRequiredService<ReleaseController>();

        await controller.ChangeAsync(controller.For(route)!, s => s.With(ReleasePhase.Promoted, 100, controller.Now, "test"));
        // The change is published; the other replica also reads the store at every tick.
        var seen = await Poll.UntilAsync(() => ReleaseOf(two, route).State.Phase == ReleasePhase.Promoted);

        Assert.True(seen, $"the second gateway still has {ReleaseOf(two, route).State}");
        Assert.Equal((HttpStatusCode.OK, "green"), await GetAsync(two));
    }

    private static Task<HttpResponseMessage> AdminAsync(MeridianTestHost gateway, string key, string path) =>
        gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/admin/releases/" + path)
        {
            Headers = { { ApiKeyAuthenticator.Header, key } },
        });
}
