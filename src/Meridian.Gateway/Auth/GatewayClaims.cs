using System.Security.Claims;

namespace Meridian.Gateway.Auth;

/// <summary>The claims the policies read, the same whether the caller came with an API key or a JWT.</summary>
internal static class GatewayClaims
{
    public const string Scope = "scope";
    public const string Tenant = "tenant";
    public const string KeyId = "key_id";

    /// <summary>Scopes from every claim of the given type, each holding one or several space-separated scopes (OAuth's "scope" or a "scp" array).</summary>
    public static HashSet<string> ScopesOf(ClaimsPrincipal user, string claimType) =>
        user.FindAll(claimType).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);

    /// <summary>admin includes write, and write includes read.</summary>
    public static bool Grants(IReadOnlySet<string> scopes, string required) => required switch
    {
        Scopes.Read => scopes.Contains(Scopes.Read) || scopes.Contains(Scopes.Write) || scopes.Contains(Scopes.Admin),
        Scopes.Write => scopes.Contains(Scopes.Write) || scopes.Contains(Scopes.Admin),
        _ => scopes.Contains(required),
    };
}
