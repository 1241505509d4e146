using System.Security.Claims;
using System.Security.Cryptography;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Registers the two ways in: API keys from the key store (<see cref="ApiKeyAuthenticator"/>) and JWT bearer tokens
/// (Microsoft's JwtBearer handler: an OIDC authority's discovery document and JWKS, or one signing key from
/// configuration). <see cref="AccessMiddleware"/> picks one from the request's headers.
/// </summary>
internal static class GatewayAuthentication
{
    public static void Add(IServiceCollection services, MeridianOptions options)
    {
        var auth = options.Gateway.Auth;
        var store = ApiKeyStores.CreateSql(options);
        services.AddSingleton<IApiKeyStore>(store);
        // Tenancy: the catalog reads the caller's tenant from the request and the owners from the key database.
        services.AddHttpContextAccessor();
        services.AddSingleton<ICollectionOwners>(new ConfiguredCollectionOwners(store, auth.CollectionTenants));
        services.AddSingleton<ApiKeyAuthenticator>();
        var policy = new AccessPolicy(auth, new AnonymousProcesses(options));
        services.AddSingleton(policy);
        services.TryAddSingleton(TimeProvider.System);
        if (!policy.AcceptsBearerTokens) return;

        // API keys need no ASP.NET Core authentication at all. JwtBearer, the only scheme, becomes the default one,
        // so the framework's middleware tries it on every request: a header check when no token comes.
        var jwt = auth.Jwt;
        var builder = services.AddAuthentication();
        builder.AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.Audience = jwt.Audience;
            o.TokenValidationParameters.ValidateAudience = jwt.Audience is not null;
            o.TokenValidationParameters.NameClaimType = "sub";
            o.Events = new JwtBearerEvents { OnTokenValidated = context => Normalize(context, jwt) };
            if (jwt.Authority is not null)
            {
                o.Authority = jwt.Authority;
                o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
            }
            else
            {
                o.TokenValidationParameters.IssuerSigningKey = SigningKey(jwt.SigningKey!);
                o.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                o.TokenValidationParameters.ValidateIssuer = jwt.Issuer is not null;
            }
        });
    }

    /// <summary>Copies the configured scope and tenant claims to the names the policies read, as API keys carry them.</summary>
    private static Task Normalize(TokenValidatedContext context, JwtOptions jwt)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity) return Task.CompletedTask;
        if (jwt.ScopeClaim != GatewayClaims.Scope)
        {
            foreach (var claim in identity.FindAll(jwt.ScopeClaim).ToList()) identity.AddClaim(new Claim(GatewayClaims.Scope, claim.Value));
        }
        if (jwt.TenantClaim != GatewayClaims.Tenant && identity.FindFirst(jwt.TenantClaim) is { } tenant)
        {
            identity.AddClaim(new Claim(GatewayClaims.Tenant, tenant.Value));
        }
        return Task.CompletedTask;
    }

    /// <summary>A PEM public key (EC or RSA), or else a base64 HMAC secret.</summary>
    private static SecurityKey SigningKey(string configured)
    {
        try
        {
            if (!configured.Contains("-----BEGIN", StringComparison.Ordinal)) return new SymmetricSecurityKey(Convert.FromBase64String(configured));
            if (TryEc(configured) is { } ec) return new ECDsaSecurityKey(ec);
            var rsa = RSA.Create();
            rsa.ImportFromPem(configured);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or CryptographicException)
        {
            throw new OptionsException(["Meridian:Gateway:Auth:Jwt:SigningKey: neither a base64 secret nor a PEM public key"]);
        }
    }

    private static ECDsa? TryEc(string pem)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            return null;
        }
    }
}
