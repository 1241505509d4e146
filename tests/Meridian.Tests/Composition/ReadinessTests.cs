using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Meridian.Testing;

namespace Meridian.Tests.Composition;

/// <summary>
/// <c>/ready</c> tells the truth about the stores a process's roles use: a role that keeps files in the object store
/// (uploads, workflow definitions, checkpoints, subscriptions) is not ready when that store cannot serve, and one that
/// does not use it is not held back by it. The message bus (RabbitMQ), the shared cache (Redis) and the gateway's Redis
/// are reported, when configured, by the roles that use them, against the real servers of scripts/test.sh; none takes a
/// pod out of the load balancer (jobs are in the job store before they are on the bus, and workers sweep it; requests
/// bypass a cache that is away; rate limits are counted per replica while the gateway's Redis is away), so any one
/// missing makes <c>/ready</c> "Degraded" with a 200. A server that is not there (a port
/// nothing listens on) or never answers (a listener that accepts and stays silent) is reported within moments, never by
/// a probe timing out.
/// </summary>
public sealed class ReadinessTests : IClassFixture<S3TestBucket>, IDisposable
{
    private readonly S3TestBucket _bucket;
    private readonly string _data = Directory.CreateTempSubdirectory("meridian-ready-").FullName;

    public ReadinessTests(S3TestBucket bucket) => _bucket = bucket;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private Task<MeridianServer> StartAsync(string roles, string bucket, string? rabbitMq = null, string? redis = null,
        string? gatewayRedis = null, bool rateLimit = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Meridian:Roles:0"] = roles,
            ["Meridian:Data"] = _data,
            ["Meridian:Objects:S3:Bucket"] = bucket,
            ["Meridian:Objects:S3:ServiceUrl"] = S3TestBucket.Options(bucket).ServiceUrl,
            ["Meridian:Objects:S3:AccessKeyId"] = "S3RVER",
            ["Meridian:Objects:S3:SecretAccessKey"] = "S3RVER",
        };
        if (rabbitMq is not null) settings["Meridian:Messaging:RabbitMq"] = rabbitMq;
        if (redis is not null) settings["Meridian:Cache:Redis"] = redis;
        if (gatewayRedis is not null) settings["Meridian:Gateway:RedisConnectionString"] = gatewayRedis;
        if (rateLimit)
        {
            settings["Meridian:Gateway:RateLimiting:Rules:0:Name"] = "readiness-" + Guid.NewGuid().ToString("N")[..8];
            settings["Meridian:Gateway:RateLimiting:Rules:0:Limit"] = "1000";
        }
        return MeridianServer.StartAsync(settings);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("processes")]
    [InlineData("worker")]
    [InlineData("notifications")]
    public async Task A_role_keeping_objects_is_not_ready_while_its_bucket_is_missing(string role)
    {
        const string missing = "meridian-no-such-bucket-for-readiness";
        await using var server = await StartAsync(role, missing);

        using var response = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var checks = JsonNode.Parse(body)!["checks"]!.AsObject();
        Assert.Equal("Unhealthy", (string)checks["object-store"]!["status"]!);
        // Which bucket, and the S3 error, are for administrators (the gateway's admin scope), not for probes.
        Assert.DoesNotContain(missing, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("worker")]
    public async Task A_role_keeping_objects_is_ready_with_its_bucket(string role)
    {
        await using var server = await StartAsync(role, _bucket.Store.Bucket);

        using var response = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        Assert.Equal("Healthy", (string)checks["object-store"]!["status"]!);
    }

    [Fact]
    public async Task A_role_without_objects_is_not_held_back_by_the_object_store()
    {
        await using var server = await StartAsync("features", "meridian-no-such-bucket-for-readiness");

        using var response = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>/ready's status code and body; a minute is only there so that a hang fails the test instead of stalling it.</summary>
    private static async Task<(HttpStatusCode Status, JsonObject Body, string Text)> ReadyAsync(MeridianServer server)
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var response = await server.Client.GetAsync("/ready", hang.Token);
        var text = await response.Content.ReadAsStringAsync(hang.Token);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject(), text);
    }

    private static string? Status(JsonObject body, string check) => (string?)body["checks"]![check]?["status"];

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A server that accepts connections and never says a word (a hung broker, a half-dead host).</summary>
    private static TcpListener SilentServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 64);
        return listener;
    }

    private static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    [Theory]
    [InlineData("processes")]
    [InlineData("ingest")]
    [InlineData("worker")]
    public async Task A_role_using_the_bus_reports_the_broker_ready(string role)
    {
        await using var server = await StartAsync(role, _bucket.Store.Bucket, rabbitMq: RabbitMqBroker.Shared().Uri.ToString());

        var (status, body, _) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("Healthy", Status(body, "message-bus"));
    }

    [Theory]
    [InlineData("processes")]
    [InlineData("worker")]
    public async Task A_broker_that_refuses_connections_makes_the_role_degraded_not_unready(string role)
    {
        var port = ClosedPort();
        await using var server = await StartAsync(role, _bucket.Store.Bucket, rabbitMq: $"amqp://meridian:bus-secret-password@127.0.0.1:{port}/meridian");

        var (status, body, text) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", (string?)body["status"]);
        Assert.Equal("Degraded", Status(body, "message-bus"));
        Assert.Equal("Healthy", Status(body, "object-store"));
        // Where the broker is, and why it failed, are for administrators only.
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.DoesNotContain("bus-secret-password", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_never_answers_is_reported_instead_of_holding_the_probe()
    {
        using var silent = SilentServer();
        await using var server = await StartAsync("processes", _bucket.Store.Bucket, rabbitMq: $"amqp://meridian:x@127.0.0.1:{PortOf(silent)}/meridian");

        var (status, body, _) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", Status(body, "message-bus"));
    }

    [Theory]
    [InlineData("features")]
    [InlineData("tiles")]
    [InlineData("worker")]
    public async Task A_role_using_collections_reports_the_shared_cache_ready(string role)
    {
        await using var server = await StartAsync(role, _bucket.Store.Bucket, redis: RedisServer.Shared());

        var (status, body, _) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", Status(body, "cache"));
    }

    [Fact]
    public async Task A_cache_that_is_away_makes_the_role_degraded_and_it_still_serves()
    {
        var port = ClosedPort();
        await using var server = await StartAsync("features", _bucket.Store.Bucket, redis: $"127.0.0.1:{port},password=cache-secret-password");

        var (status, body, text) = await ReadyAsync(server);
        using var collections = await server.Client.GetAsync("/collections");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", (string?)body["status"]);
        Assert.Equal("Degraded", Status(body, "cache"));
        Assert.DoesNotContain("cache-secret-password", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, collections.StatusCode);
    }

    [Fact]
    public async Task A_cache_that_never_answers_is_reported_instead_of_holding_the_probe()
    {
        using var silent = SilentServer();
        await using var server = await StartAsync("tiles", _bucket.Store.Bucket, redis: $"127.0.0.1:{PortOf(silent)}");

        var (status, body, _) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", Status(body, "cache"));
    }

    [Theory]
    [InlineData("gateway", false)]
    [InlineData("features", true)]
    public async Task A_process_using_the_gateway_store_reports_it_ready(string role, bool rateLimit)
    {
        await using var server = await StartAsync(role, _bucket.Store.Bucket, gatewayRedis: RedisServer.Shared(), rateLimit: rateLimit);

        var (status, body, _) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", Status(body, "gateway-store"));
    }

    [Fact]
    public async Task A_gateway_store_that_is_away_makes_the_gateway_degraded_and_rate_limited_requests_still_served()
    {
        var port = ClosedPort();
        await using var server = await StartAsync("all", _bucket.Store.Bucket,
            gatewayRedis: $"127.0.0.1:{port},password=gateway-secret-password", rateLimit: true);

        var (status, body, text) = await ReadyAsync(server);
        using var collections = await server.Client.GetAsync("/collections");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", (string?)body["status"]);
        Assert.Equal("Degraded", Status(body, "gateway-store"));
        // Where the store is, and why it failed, are for administrators only.
        Assert.DoesNotContain("gateway-secret-password", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, collections.StatusCode);
        Assert.True(collections.Headers.Contains("RateLimit"));
    }

    [Fact]
    public async Task A_gateway_store_that_never_answers_is_reported_instead_of_holding_the_probe()
    {
        using var silent = SilentServer();
        await using var server = await StartAsync("gateway", _bucket.Store.Bucket, gatewayRedis: $"127.0.0.1:{PortOf(silent)}");

        var (status, body, _) = await ReadyAsync(server);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", Status(body, "gateway-store"));
    }

    [Fact]
    public async Task Roles_that_use_neither_and_embedded_adapters_have_no_such_checks()
    {
        await using var notifying = await StartAsync("notifications", _bucket.Store.Bucket, rabbitMq: RabbitMqBroker.Shared().Uri.ToString(),
            redis: RedisServer.Shared(), gatewayRedis: RedisServer.Shared());
        await using var embedded = await StartAsync("processes", _bucket.Store.Bucket);

        var (_, notifications, _) = await ReadyAsync(notifying);
        var (_, processes, _) = await ReadyAsync(embedded);

        Assert.Null(Status(notifications, "message-bus"));
        Assert.Null(Status(notifications, "cache"));
        Assert.Null(Status(notifications, "gateway-store"));
        Assert.Null(Status(processes, "message-bus"));
        Assert.Null(Status(processes, "cache"));
        Assert.Equal("Healthy", Status(processes, "feature-store"));
    }
}
