using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Meridian.Gateway.Tests.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>JWTs signed by an OIDC provider whose discovery document and JWKS the gateway fetches over HTTP.</summary>
public sealed class OidcAuthorityTests : IAsyncLifetime
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    private LoopbackApp _provider = null!;
    private string _issuer = "";

    public async Task InitializeAsync()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        _provider = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Json(new { issuer = _issuer, jwks_uri = _issuer + "/jwks" }));
            app.MapGet("/jwks", () => Results.Text(
                JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } }),
                "application/json"));
        });
        _issuer = _provider.Address;
    }

    public Task DisposeAsync() => _provider.DisposeAsync().AsTask();

    [Fact]
    public async Task TokenFromTheAuthority_IsAccepted_OthersAreNot()
    {
        await using var host = await MeridianTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Auth:Enabled"] = "true",
            ["Gateway:Auth:AnonymousRead"] = "false",
            ["Gateway:Auth:Jwt:Authority"] = _issuer,
            ["Gateway:Auth:Jwt:Audience"] = "meridian",
            ["Gateway:Auth:Jwt:RequireHttpsMetadata"] = "false",
        });

        var accepted = await GetAsync(host, Token(_key, "meridian"));
        var wrongAudience = await GetAsync(host, Token(_key, "someone-else"));
        var foreignKey = await GetAsync(host, Token(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key-1" }, "meridian"));

        Assert.Equal(HttpStatusCode.OK, accepted);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, foreignKey);
    }

    private static async Task<HttpStatusCode> GetAsync(MeridianTestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections") { Headers = { { "Authorization", "Bearer " + token } } };
        return (await host.Client.SendAsync(request)).StatusCode;
    }

    private string Token(SecurityKey key, string audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = _issuer,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("scope", "read")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });
}
