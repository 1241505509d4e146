using System.Net;
using System.Security.Claims;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Tests.Composition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Gateway.Tests.Auth;

public sealed class AccessTests
{
    private const string Write = "/collections/places/items";
    private static readonly string HmacSecret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    private static Task<MeridianTestHost> StartAsync(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "true",
            ["Gateway:Auth:KeyCacheDuration"] = "00:00:00",
            ["Gateway:Auth:Jwt:SigningKey"] = HmacSecret,
            ["Gateway:Auth:Jwt:Issuer"] = "https://issuer.example",
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return MeridianTestHost.StartAsync(settings);
    }

    private static async Task<string> CreateKeyAsync(MeridianTestHost host, DateTimeOffset? expires = null, params string[] scopes)
    {
        var (id, key) = ApiKeys.Generate();
        await host.Services.GetRequiredService<IApiKeyStore>().AddAsync(
            new ApiKeyRecord(id, "acme", scopes, null, DateTimeOffset.UtcNow, expires, null), ApiKeys.Hash(key));
        return key;
    }

    private static HttpRequestMessage Post(string key) =>
        new(HttpMethod.Post, Write) { Headers = { { ApiKeyAuthenticator.Header, key } }, Content = new StringContent("{}") };

    [Fact]
    public async Task AnonymousRead_IsAllowedByDefault()
    {
        await using var host = await StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/collections")).StatusCode);
    }

    [Fact]
    public async Task AnonymousWrite_Is401ProblemWithChallenge()
    {
        await using var host = await StartAsync();

        var response = await host.Client.PostAsync(Write, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:meridian:problem:unauthorized", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReadKey_CannotWrite_WriteKeyCan()
    {
        await using var host = await StartAsync();
        var reader = await CreateKeyAsync(host, null, Scopes.Read);
        var writer = await CreateKeyAsync(host, null, Scopes.Write);

        var refused = await host.Client.SendAsync(Post(reader));
        var allowed = await host.Client.SendAsync(Post(writer));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("insufficient_scope", refused.Headers.WwwAuthenticate.ToString());
        Assert.Contains("urn:meridian:problem:forbidden", await refused.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.Unauthorized, allowed.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, allowed.StatusCode);
    }

    [Fact]
    public async Task AdminPaths_NeedTheAdminScope()
    {
        await using var host = await StartAsync(("Gateway:Auth:AdminPaths:0", "/ops"));
        var writer = await CreateKeyAsync(host, null, Scopes.Write);
        var admin = await CreateKeyAsync(host, null, Scopes.Admin);

        async Task<HttpStatusCode> Get(string path, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { ApiKeyAuthenticator.Header, key } } };
            return (await host.Client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await Get("/admin/canary", writer));
        Assert.Equal(HttpStatusCode.Forbidden, await Get("/ops/x", writer));
        Assert.Equal(HttpStatusCode.NotFound, await Get("/admin/canary", admin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/admin/canary")).StatusCode);
    }

    [Fact]
    public async Task RevokedExpiredOrUnknownKeys_Are401EvenForReads()
    {
        await using var host = await StartAsync();
        var store = host.Services.GetRequiredService<IApiKeyStore>();
        var revoked = await CreateKeyAsync(host, null, Scopes.Write);
        await store.RevokeAsync((await store.ListAsync()).Single().Id, DateTimeOffset.UtcNow);
        var expired = await CreateKeyAsync(host, DateTimeOffset.UtcNow.AddSeconds(-1), Scopes.Write);

        foreach (var key in new[] { revoked, expired, "mrd_0000_unknown", "not-even-a-key" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/collections") { Headers = { { ApiKeyAuthenticator.Header, key } } };
            var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task AnonymousProcesses_OpenTheirExecutionOnly()
    {
        await using var host = await StartAsync(("Security:AnonymousProcesses:0", "echo"));

        var echo = await host.Client.PostAsync("/processes/echo/execution", new StringContent("{}"));
        var other = await host.Client.PostAsync("/processes/buffer/execution", new StringContent("{}"));
        var deeper = await host.Client.PostAsync("/processes/echo/execution/more", new StringContent("{}"));
        var description = await host.Client.PutAsync("/processes/echo", new StringContent("{}"));

        Assert.NotEqual(HttpStatusCode.Unauthorized, echo.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, deeper.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, description.StatusCode);
    }

    [Fact]
    public async Task AnonymousReadOff_ReadsNeedCredentials()
    {
        await using var host = await StartAsync(("Gateway:Auth:AnonymousRead", "false"));
        var reader = await CreateKeyAsync(host, null, Scopes.Read);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections") { Headers = { { "Authorization", "ApiKey " + reader } } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/collections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Jwt_ScopesFromTheScopeClaim()
    {
        await using var host = await StartAsync();

        var writer = await host.Client.SendAsync(Bearer(Token("write read")));
        var reader = await host.Client.SendAsync(Bearer(Token("read")));

        Assert.NotEqual(HttpStatusCode.Unauthorized, writer.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, writer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
    }

    [Fact]
    public async Task Jwt_BadSignatureWrongIssuerOrExpired_Is401()
    {
        await using var host = await StartAsync();
        var otherKey = Convert.ToBase64String(new byte[32]);

        foreach (var token in new[] { Token("write", secret: otherKey), Token("write", issuer: "https://evil.example"), Token("write", expires: DateTime.UtcNow.AddMinutes(-10)) })
        {
            var response = await host.Client.SendAsync(Bearer(token));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static HttpRequestMessage Bearer(string token) =>
        new(HttpMethod.Post, Write) { Headers = { { "Authorization", "Bearer " + token } }, Content = new StringContent("{}") };

    private static string Token(string scope, string? secret = null, string issuer = "https://issuer.example", DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("scope", scope), new Claim("tenant", "acme")]),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(secret ?? HmacSecret)), SecurityAlgorithms.HmacSha256),
        });
}
