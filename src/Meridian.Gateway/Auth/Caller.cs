using System.Security.Claims;

namespace Meridian.Gateway.Auth;

/// <summary>An authenticated caller: the principal the endpoints see, and the scopes the access policy checks.</summary>
internal sealed class Caller(ClaimsPrincipal principal, IReadOnlySet<string> scopes)
{
    public ClaimsPrincipal Principal { get; } = principal;

    public IReadOnlySet<string> Scopes { get; } = scopes;

    /// <summary>A bearer token's caller: scopes from its "scope" claims (OAuth) and "scp" claims (Azure AD and others).</summary>
    public static Caller FromToken(ClaimsPrincipal principal)
    {
        var scopes = GatewayClaims.ScopesOf(principal, GatewayClaims.Scope);
        scopes.UnionWith(GatewayClaims.ScopesOf(principal, "scp"));
        return new Caller(principal, scopes);
    }
}
