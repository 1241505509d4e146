using System.Net;
using System.Text.Json.Nodes;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Tests.Composition;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>
/// <c>/ready</c> is open to probes, and tells them (and every caller without the admin scope) only the status of each
/// check under a generic name; which store a check asks and why it failed are for administrators. It used to name the
/// stores to anyone: "postgis:10.0.3.4:5432/gis", the data directory's path, the bucket, and the driver's error.
/// </summary>
public sealed class ReadinessAccessTests : IAsyncLifetime
{
    // Nothing listens on port 1 of loopback: the PostGIS store is down from the start (a refused connection, at once).
    private const string DownHost = "127.0.0.1";
    private const string DownDatabase = "readiness_secret_db";
    private const string DownPassword = "readiness-secret-password";

    private MeridianTestHost _host = null!;

    public async Task InitializeAsync() => _host = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway:Auth:Enabled"] = "true",
        ["Gateway:Auth:KeyCacheDuration"] = "00:00:00",
        ["PostGis:ConnectionString"] = $"Host={DownHost};Port=1;Username=reader;Password={DownPassword};Database={DownDatabase};Timeout=2",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> ReadyAsync(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ready");
        if (key is not null) request.Headers.Add(ApiKeyAuthenticator.Header, key);
        using var response = await _host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> KeyAsync(params string[] scopes)
    {
        var (id, key) = ApiKeys.Generate();
        await _host.Services.GetRequiredService<IApiKeyStore>().AddAsync(
            new ApiKeyRecord(id, "acme", scopes, null, DateTimeOffset.UtcNow, null, null), ApiKeys.Hash(key));
        return key;
    }

    [Fact]
    public async Task An_anonymous_caller_sees_the_status_of_generically_named_checks_and_nothing_of_the_stores()
    {
        var (status, body) = await ReadyAsync(null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var checks = JsonNode.Parse(body)!["checks"]!.AsObject();
        Assert.Equal(["feature-store", "feature-store-2", "object-store"], checks.Select(c => c.Key).Order());
        Assert.Equal("Healthy", (string)checks["feature-store"]!["status"]!);
        Assert.Equal("Unhealthy", (string)checks["feature-store-2"]!["status"]!);
        Assert.All(checks, c => Assert.Equal(["status"], c.Value!.AsObject().Select(p => p.Key)));
        Assert.DoesNotContain(DownHost, body, StringComparison.Ordinal);
        Assert.DoesNotContain(DownDatabase, body, StringComparison.Ordinal);
        Assert.DoesNotContain("geopackage", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("local:", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Scopes.Read)]
    [InlineData(Scopes.Write)]
    public async Task A_caller_without_the_admin_scope_sees_no_more_than_an_anonymous_one(string scope)
    {
        var (_, anonymous) = await ReadyAsync(null);

        var (status, body) = await ReadyAsync(await KeyAsync(scope));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(JsonNode.Parse(anonymous)!["checks"]!.ToJsonString(), JsonNode.Parse(body)!["checks"]!.ToJsonString());
    }

    [Fact]
    public async Task An_admin_sees_which_store_each_check_asks_and_why_it_failed_but_never_a_password()
    {
        var (status, body) = await ReadyAsync(await KeyAsync(Scopes.Admin));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var checks = JsonNode.Parse(body)!["checks"]!.AsObject();
        var down = checks["feature-store-2"]!;
        Assert.Equal($"postgis:{DownHost}:1/{DownDatabase}", (string)down["target"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)down["error"]));
        Assert.StartsWith("geopackage-directory:", (string)checks["feature-store"]!["target"]!, StringComparison.Ordinal);
        Assert.Null(checks["feature-store"]!["error"]);
        Assert.DoesNotContain(DownPassword, body, StringComparison.Ordinal);
    }
}
