using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Authenticates whatever credentials come with a request (bad ones are a 401 even where none are needed) and
/// enforces the <see cref="AccessPolicy"/>: 401 without credentials, 403 with too few scopes, both as problems
/// with a WWW-Authenticate challenge (RFC 6750's insufficient_scope for the 403).
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessPolicy policy)
{
    public const string Scheme = "Meridian";
    private const string Challenge = "Bearer realm=\"meridian\", ApiKey realm=\"meridian\"";

    public async Task InvokeAsync(HttpContext context)
    {
        var required = policy.RequiredScope(context.Request);
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Failure is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"meridian\", error=\"invalid_token\"";
            await GatewayProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, GatewayProblems.Unauthorized, "Invalid credentials",
                $"The credentials were refused: {result.Failure.Message}.");
            return;
        }
        if (result.Succeeded) context.User = result.Principal;

        if (required is not null)
        {
            if (!result.Succeeded)
            {
                context.Response.Headers.WWWAuthenticate = Challenge;
                await GatewayProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, GatewayProblems.Unauthorized, "Authentication required",
                    $"This request needs credentials with the '{required}' scope: an API key (X-API-Key header) or a bearer token.");
                return;
            }
            var scopes = GatewayClaims.ScopesOf(context.User, GatewayClaims.Scope);
            scopes.UnionWith(GatewayClaims.ScopesOf(context.User, "scp"));
            if (!GatewayClaims.Grants(scopes, required))
            {
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"meridian\", error=\"insufficient_scope\", scope=\"{required}\"";
                await GatewayProblems.WriteAsync(context, StatusCodes.Status403Forbidden, GatewayProblems.Forbidden, "Insufficient scope",
                    $"This request needs the '{required}' scope.");
                return;
            }
        }
        await next(context);
    }
}
