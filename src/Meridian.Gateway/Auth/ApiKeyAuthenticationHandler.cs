using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Meridian.Gateway.Auth;

/// <summary>Authenticates "X-API-Key: KEY" or "Authorization: ApiKey KEY" against the key store.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-API-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is not { Length: > 0 } key) return AuthenticateResult.NoResult();
        if (await validator.ValidateAsync(key, Context.RequestAborted) is not { } record)
            return AuthenticateResult.Fail("the API key is unknown, expired or revoked");

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "key:" + record.Id),
            new Claim(GatewayClaims.KeyId, record.Id),
            new Claim(GatewayClaims.Tenant, record.Tenant),
            new Claim(GatewayClaims.Scope, string.Join(' ', record.Scopes)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private string? PresentedKey()
    {
        var headers = Request.Headers;
        if (headers.TryGetValue(Header, out var key)) return key.ToString().Trim();
        var authorization = headers.Authorization.ToString();
        return authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase) ? authorization[(SchemeName.Length + 1)..].Trim() : null;
    }
}
