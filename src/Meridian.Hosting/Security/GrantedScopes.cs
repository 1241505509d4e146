using System.Security.Claims;

namespace Meridian.Hosting.Security;

/// <summary>
/// The scopes the gateway's authentication granted a request's caller, whether it came with an API key or a JWT: its
/// "scope" claims, each one name or several separated by spaces. None without the gateway's authentication.
/// </summary>
public static class GrantedScopes
{
    public const string Claim = "scope";

    public static bool Has(ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true
            && user.FindAll(Claim).Any(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));
    }

    /// <summary>Whether the caller administers this deployment: it sees every tenant, and the details of readiness.</summary>
    public static bool IsAdmin(ClaimsPrincipal user) => Has(user, "admin");
}
