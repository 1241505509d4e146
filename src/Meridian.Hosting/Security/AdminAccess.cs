using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Security;

/// <summary>
/// The last word on administration endpoints (under <c>/admin</c>, which the gateway's access policy already holds to
/// the admin scope): the caller must have been authenticated with the admin scope. Without Gateway:Auth nobody is
/// authenticated, so nobody is trusted and the endpoint refuses with a 403 saying what to configure.
/// </summary>
public static class AdminAccess
{
    private const string AdminScope = "admin";

    /// <summary>An endpoint filter for <paramref name="what"/> ("Release administration", "Analytics").</summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Require(string what) => (context, next) =>
    {
        var user = context.HttpContext.User;
        var admin = user.Identity?.IsAuthenticated == true
            && user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(AdminScope, StringComparer.Ordinal);
        if (!admin)
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Administrators only",
                $"{what} needs credentials with the 'admin' scope (Meridian:Gateway:Auth:Enabled and an admin API key or token).");
        }
        return next(context);
    };
}
