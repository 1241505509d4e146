using System.Net;
using System.Text.Json.Nodes;
using Meridian.Gateway.Tests.Composition;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Meridian.Gateway.Tests.Routing;

/// <summary>The gateway role in front of real backends on loopback.</summary>
public sealed class GatewayRoutingTests
{
    private static async Task<MeridianTestHost> GatewayAsync(Dictionary<string, string?> settings)
    {
        settings["Roles:0"] = "gateway";
        return await MeridianTestHost.StartAsync(settings);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Routes_ByPathPrefixAndHost()
    {
        await using var ogc = await TestBackend.StartAsync("ogc");
        await using var rest = await TestBackend.StartAsync("rest");
        await using var graphql = await TestBackend.StartAsync("graphql");
        await using var tenant = await TestBackend.StartAsync("tenant");
        await using var gateway = await GatewayAsync(new()
        {
            ["Gateway:Routes:ogc:PathPrefix"] = "/collections", ["Gateway:Routes:ogc:Cluster"] = "ogc",
            ["Gateway:Routes:rest:PathPrefix"] = "/api/v2", ["Gateway:Routes:rest:Cluster"] = "rest",
            ["Gateway:Routes:graphql:PathPrefix"] = "/graphql", ["Gateway:Routes:graphql:Cluster"] = "graphql",
            ["Gateway:Routes:tenant:Hosts:0"] = "maps.example.org", ["Gateway:Routes:tenant:Cluster"] = "tenant", ["Gateway:Routes:tenant:Order"] = "-1",
            ["Gateway:Clusters:ogc:Destinations:0"] = ogc.Address,
            ["Gateway:Clusters:rest:Destinations:0"] = rest.Address,
            ["Gateway:Clusters:graphql:Destinations:0"] = graphql.Address,
            ["Gateway:Clusters:tenant:Destinations:0"] = tenant.Address,
        });

        async Task<string> BackendOf(string path, string? host = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (host is not null) request.Headers.Host = host;
            var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await JsonAsync(response))["backend"]!.GetValue<string>();
        }

        Assert.Equal("ogc", await BackendOf("/collections/countries/items?limit=1"));
        Assert.Equal("rest", await BackendOf("/api/v2/jobs/42"));
        Assert.Equal("graphql", await BackendOf("/graphql"));
        Assert.Equal("tenant", await BackendOf("/collections", "maps.example.org"));
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("/elsewhere")).StatusCode);
    }

    [Fact]
    public async Task RequestId_IsForwardedAndEchoed()
    {
        await using var backend = await TestBackend.StartAsync("b");
        await using var gateway = await GatewayAsync(OneCluster(backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Add("X-Request-Id", "req-42");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal("req-42", (await JsonAsync(response))["requestId"]!.GetValue<string>());
        Assert.Equal("req-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task ServerSoftware_IsNamedNeitherByTheGatewayNorByTheBackend()
    {
        await using var backend = await TestBackend.StartAsync("b");
        await using var gateway = await GatewayAsync(OneCluster(backend));

        using var client = new HttpClient();
        using var direct = await client.GetAsync(new Uri(new Uri(backend.Address), "/x"));
        using var proxied = await gateway.Client.GetAsync("/x");

        Assert.NotEmpty(direct.Headers.Server); // the backend does name itself
        Assert.Empty(proxied.Headers.Server);
    }

    // Links are absolute: a Meridian behind the gateway role must build them from the address the client used (which
    // the gateway forwards as X-Forwarded-Host and -Proto), not from its own, which clients may not reach at all and
    // which would take them around the gateway's policies.
    [Fact]
    public async Task A_meridian_behind_the_gateway_links_to_the_gateway()
    {
        await using var backend = await MeridianTestHost.StartAsync();
        await using var gateway = await GatewayAsync(new Dictionary<string, string?>
        {
            ["Gateway:Routes:ogc:PathPrefix"] = "/collections",
            ["Gateway:Routes:ogc:Cluster"] = "ogc",
            ["Gateway:Clusters:ogc:Destinations:0"] = backend.Address.ToString(),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections?f=json");
        request.Headers.Host = "maps.example.org";

        var links = (await JsonAsync(await gateway.Client.SendAsync(request)))["links"]!.AsArray().Select(l => (string)l!["href"]!).ToList();

        Assert.NotEmpty(links);
        Assert.All(links, href => Assert.StartsWith("http://maps.example.org/collections", href, StringComparison.Ordinal));
    }

    // A Meridian backend runs the same policies as the gateway and echoes the request id too; the gateway copies a
    // backend's headers onto its own, so the id must still come out once, not as two lines of a singleton header.
    [Theory]
    [InlineData("GET", "/collections?f=json")]
    [InlineData("GET", "/collections/none/items")]
    [InlineData("POST", "/collections")]
    public async Task A_meridian_behind_the_gateway_answers_the_request_id_once(string method, string path)
    {
        await using var backend = await MeridianTestHost.StartAsync();
        await using var gateway = await GatewayAsync(new Dictionary<string, string?>
        {
            ["Gateway:Routes:ogc:PathPrefix"] = "/collections",
            ["Gateway:Routes:ogc:Cluster"] = "ogc",
            ["Gateway:Clusters:ogc:Destinations:0"] = backend.Address.ToString(),
        });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-Request-Id", "req-7");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal("req-7", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    // X-Forwarded-* come from the proxies trusted (loopback unless Meridian:TrustedProxies says otherwise), and the path
    // prefix a proxy mounts Meridian under is kept; from anyone else they are ignored, since they would name any host.
    [Theory]
    [InlineData(null, "https://public.example.org/geo/collections")]
    [InlineData("10.9.8.7", "http://127.0.0.1:")]
    public async Task Forwarded_headers_are_believed_from_trusted_proxies_only(string? trusted, string linkStart)
    {
        await using var backend = await MeridianTestHost.StartAsync(trusted is null ? null : new Dictionary<string, string?> { ["TrustedProxies:0"] = trusted });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections?f=json");
        request.Headers.Add("X-Forwarded-Host", "public.example.org");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Prefix", "/geo");

        var self = (string)(await JsonAsync(await backend.Client.SendAsync(request)))["links"]![0]!["href"]!;

        Assert.StartsWith(linkStart, self, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backend_GetsTheCallersTraceWithTheGatewaysSpan_ForwardedFor_OverHttp11()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        const string callerSpan = "b7ad6b7169203331";
        await using var backend = await TestBackend.StartAsync("b");
        await using var gateway = await GatewayAsync(OneCluster(backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");

        var seen = await JsonAsync(await gateway.Client.SendAsync(request));

        // One traceparent, in the caller's trace, with the gateway's span as the parent (not the caller's copied through).
        var parts = seen["traceparent"]!.GetValue<string>().Split('-');
        Assert.Equal(4, parts.Length);
        Assert.Equal(traceId, parts[1]);
        Assert.NotEqual(callerSpan, parts[2]);
        Assert.Equal("127.0.0.1", seen["forwardedFor"]!.GetValue<string>());
        Assert.Equal("HTTP/1.1", seen["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task DestinationAnswering500s_IsEjected_TrafficContinues()
    {
        // Least-requests picks the first of equally idle destinations, so the failing one is tried first.
        await using var failing = await TestBackend.StartAsync("failing", (_, _) => Task.FromResult(StatusCodes.Status500InternalServerError));
        await using var healthy = await TestBackend.StartAsync("healthy");
        await using var gateway = await GatewayAsync(new()
        {
            ["Gateway:Routes:all:Cluster"] = "c",
            ["Gateway:Clusters:c:Destinations:0"] = failing.Address,
            ["Gateway:Clusters:c:Destinations:1"] = healthy.Address,
            ["Gateway:Clusters:c:EjectAfterErrors"] = "5",
            ["Gateway:Clusters:c:EjectFor"] = "00:10:00",
        });

        for (var i = 0; i < 25; i++) await gateway.Client.GetAsync("/x");
        // The error is counted once the answer is on its way, so a request or two may slip in before the ejection
        // takes effect: what matters is that it took 5 errors and that, once ejected, nothing more reaches it.
        var hitsWhenEjected = failing.Hits;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) statuses.Add((await gateway.Client.GetAsync("/x")).StatusCode);

        Assert.True(hitsWhenEjected >= 5, $"ejected after {hitsWhenEjected} errors");
        Assert.Equal(hitsWhenEjected, failing.Hits);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task AtMostHalfTheDestinations_AreEjected()
    {
        await using var one = await TestBackend.StartAsync("one", (_, _) => Task.FromResult(StatusCodes.Status500InternalServerError));
        await using var two = await TestBackend.StartAsync("two", (_, _) => Task.FromResult(StatusCodes.Status500InternalServerError));
        await using var gateway = await GatewayAsync(new()
        {
            ["Gateway:Routes:all:Cluster"] = "c",
            ["Gateway:Clusters:c:Destinations:0"] = one.Address,
            ["Gateway:Clusters:c:Destinations:1"] = two.Address,
            ["Gateway:Clusters:c:EjectAfterErrors"] = "2",
            ["Gateway:Clusters:c:EjectFor"] = "00:10:00",
        });

        for (var i = 0; i < 12; i++) await gateway.Client.GetAsync("/x");

        // One is ejected after its 2 errors; the other keeps serving (badly) rather than leaving nothing.
        Assert.Equal(12, one.Hits + two.Hits);
        Assert.Equal(2, Math.Min(one.Hits, two.Hits));
    }

    [Fact]
    public async Task ActiveHealthCheck_EjectsADeadDestination_AndReadmitsItWhenItReturns()
    {
        var dying = await TestBackend.StartAsync("dying");
        var port = dying.Port;
        await using var healthy = await TestBackend.StartAsync("healthy");
        await using var gateway = await GatewayAsync(new()
        {
            ["Gateway:Routes:all:Cluster"] = "c",
            ["Gateway:Clusters:c:Destinations:0"] = dying.Address,
            ["Gateway:Clusters:c:Destinations:1"] = healthy.Address,
            ["Gateway:Clusters:c:HealthPath"] = "/ready",
            ["Gateway:Clusters:c:HealthInterval"] = "00:00:00.2",
        });
        var cluster = gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("c", out var c) ? c : null;
        var probed = cluster!.Destinations["c-0"];
        Assert.True(await Poll.UntilAsync(() => probed.Health.Active == DestinationHealth.Healthy));

        await dying.DisposeAsync();
        var ejected = await Poll.UntilAsync(() => probed.Health.Active == DestinationHealth.Unhealthy);
        var whileDead = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) whileDead.Add((await gateway.Client.GetAsync("/x")).StatusCode);
        await using var back = await TestBackend.StartAsync("back", (_, _) => Task.FromResult(StatusCodes.Status200OK), port);
        var readmitted = await Poll.UntilAsync(() => probed.Health.Active == DestinationHealth.Healthy);
        for (var i = 0; i < 10; i++) await gateway.Client.GetAsync("/x");

        Assert.True(ejected);
        Assert.All(whileDead, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(readmitted);
        // Back in rotation: least-requests spreads sequential requests over both, the returned one included.
        Assert.InRange(back.HitsOn("/x"), 1, 10);
    }

    [Fact]
    public async Task SlowDestination_TimesOutWith504()
    {
        await using var slow = await TestBackend.StartAsync("slow", async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted);
            return StatusCodes.Status200OK;
        });
        var settings = OneCluster(slow);
        settings["Gateway:Routes:all:Timeout"] = "00:00:01";
        await using var gateway = await GatewayAsync(settings);

        var response = await gateway.Client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    // A backend that is down is an outage behind the gateway, not an internal error of it: clients and monitors tell the
    // two apart by the problem type, and retry the one.
    [Fact]
    public async Task A_destination_refusing_connections_is_a_502_unavailable_problem()
    {
        string address;
        await using (var stopped = await TestBackend.StartAsync("stopped")) address = stopped.Address;
        await using var gateway = await GatewayAsync(new Dictionary<string, string?>
        {
            ["Gateway:Routes:all:Cluster"] = "c",
            ["Gateway:Clusters:c:Destinations:0"] = address,
        });

        var response = await gateway.Client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("urn:meridian:problem:unavailable", (string)(await JsonAsync(response))["type"]!);
    }

    [Fact]
    public async Task IdempotentRequest_IsRetried_PostIsNot()
    {
        // Fails every odd request: a retry of a GET succeeds, a POST gets the failure.
        await using var flaky = await TestBackend.StartAsync("flaky", (_, hit) =>
            Task.FromResult(hit % 2 == 1 ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK));
        var settings = OneCluster(flaky);
        settings["Gateway:Routes:all:Attempts"] = "3";
        settings["Gateway:Clusters:c:EjectAfterErrors"] = "1000";
        await using var gateway = await GatewayAsync(settings);

        var get = await gateway.Client.GetAsync("/x");
        var hitsAfterGet = flaky.Hits;
        var post = await gateway.Client.PostAsync("/x", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(2, hitsAfterGet);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(3, flaky.Hits);
    }

    [Fact]
    public async Task SlowTry_IsRetriedWithinTheTryTimeout()
    {
        // A first request warms the gateway up (JIT, connection); then one try hangs, the per-try timeout cuts
        // it, and the next try answers.
        await using var backend = await TestBackend.StartAsync("b", async (context, hit) =>
        {
            if (hit == 2) await Task.Delay(TimeSpan.FromMinutes(5), context.RequestAborted);
            return StatusCodes.Status200OK;
        });
        var settings = OneCluster(backend);
        settings["Gateway:Routes:all:Attempts"] = "2";
        settings["Gateway:Routes:all:TryTimeout"] = "00:00:02";
        await using var gateway = await GatewayAsync(settings);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/warm-up")).StatusCode);

        var response = await gateway.Client.GetAsync("/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, backend.Hits);
    }

    [Fact]
    public async Task ConcurrencyCap_Answers503()
    {
        var release = new TaskCompletionSource();
        await using var backend = await TestBackend.StartAsync("b", async (_, _) =>
        {
            await release.Task;
            return StatusCodes.Status200OK;
        });
        var settings = OneCluster(backend);
        settings["Gateway:Clusters:c:MaxConcurrentRequests"] = "1";
        await using var gateway = await GatewayAsync(settings);

        var first = gateway.Client.GetAsync("/x");
        while (backend.Hits == 0) await Task.Delay(10);
        var second = await gateway.Client.GetAsync("/x");
        release.SetResult();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Contains("urn:meridian:problem:unavailable", await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
    }

    [Fact]
    public async Task Policies_RunInFrontOfProxiedRoutes()
    {
        await using var backend = await TestBackend.StartAsync("b");
        await using var gateway = await GatewayAsync(OneCluster(backend));

        var attack = await gateway.Client.GetAsync("/x?q=" + Uri.EscapeDataString("' UNION SELECT password FROM users--"));

        Assert.Equal(HttpStatusCode.Forbidden, attack.StatusCode);
        Assert.Equal(0, backend.Hits);
    }

    private static Dictionary<string, string?> OneCluster(TestBackend backend) => new()
    {
        ["Gateway:Routes:all:Cluster"] = "c",
        ["Gateway:Clusters:c:Destinations:0"] = backend.Address,
    };
}

public sealed class GatewayOptionsTests
{
    [Theory]
    [InlineData("Gateway:Routes:r:Cluster", "missing", "Meridian:Gateway:Routes:r:Cluster")]
    [InlineData("Gateway:Clusters:c:Destinations:0", "ftp://x", "Meridian:Gateway:Clusters:c:Destinations:0")]
    [InlineData("Gateway:Routes:r:PathPrefix", "collections", "Meridian:Gateway:Routes:r:PathPrefix")]
    [InlineData("Gateway:Routes:r:Release:Cluster", "missing", "Meridian:Gateway:Routes:r:Release:Cluster")]
    [InlineData("Gateway:Routes:r:Release:Cluster", "c", "Meridian:Gateway:Routes:r:Release:Cluster")]
    [InlineData("Gateway:Routes:r:Release:StartPercent", "0", "Meridian:Gateway:Routes:r:Release:StartPercent")]
    public async Task BadGatewaySetting_StopsStartWithItsName(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Routes:r:Cluster"] = "c",
            ["Gateway:Clusters:c:Destinations:0"] = "http://127.0.0.1:9",
            [key] = value,
        };

        var error = await Assert.ThrowsAsync<Meridian.Hosting.Configuration.OptionsException>(() => MeridianTestHost.StartAsync(settings));

        Assert.Contains(error.Errors, e => e.StartsWith(named, StringComparison.Ordinal));
    }
}
