using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Authenticates whatever credentials come with a request (bad ones are a 401 even where none are needed) and
/// enforces the <see cref="AccessPolicy"/>: 401 without credentials, 403 with too few scopes, both as problems
/// with a WWW-Authenticate challenge (RFC 6750's insufficient_scope for the 403). A bearer token goes to
/// ASP.NET Core's JwtBearer handler (when JWT is configured); an API key to the <see cref="ApiKeyAuthenticator"/>
/// directly, whose remembered keys answer without a scheme, handler or principal per request.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessPolicy policy, ApiKeyAuthenticator keys)
{
    private const string Challenge = "Bearer realm=\"meridian\", ApiKey realm=\"meridian\"";

    public Task InvokeAsync(HttpContext context)
    {
        var required = policy.RequiredScope(context.Request);
        if (policy.AcceptsBearerTokens && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return BearerAsync(context, required);
        if (ApiKeyAuthenticator.PresentedKey(context.Request) is not { Length: > 0 } key) return AuthorizeAsync(context, required, null);

        var caller = keys.AuthenticateAsync(key, context.RequestAborted);
        return caller.IsCompletedSuccessfully ? KeyAsync(context, required, caller.Result) : AwaitedKeyAsync(context, required, caller);
    }

    private async Task AwaitedKeyAsync(HttpContext context, string? required, ValueTask<Caller?> caller) =>
        await KeyAsync(context, required, await caller);

    private Task KeyAsync(HttpContext context, string? required, Caller? caller) => caller is null
        ? RefuseAsync(context, "the API key is unknown, expired or revoked")
        : AuthorizeAsync(context, required, caller);

    private async Task BearerAsync(HttpContext context, string? required)
    {
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Failure is not null)
        {
            await RefuseAsync(context, result.Failure.Message);
            return;
        }
        await AuthorizeAsync(context, required, result.Succeeded ? Caller.FromToken(result.Principal) : null);
    }

    private static Task RefuseAsync(HttpContext context, string reason)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"meridian\", error=\"invalid_token\"";
        return GatewayProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, GatewayProblems.Unauthorized, "Invalid credentials",
            $"The credentials were refused: {reason}.");
    }

    private Task AuthorizeAsync(HttpContext context, string? required, Caller? caller)
    {
        if (caller is not null) context.User = caller.Principal;
        if (required is null) return next(context);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
            return GatewayProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, GatewayProblems.Unauthorized, "Authentication required",
                $"This request needs credentials with the '{required}' scope: an API key (X-API-Key header) or a bearer token.");
        }
        if (!GatewayClaims.Grants(caller.Scopes, required))
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"meridian\", error=\"insufficient_scope\", scope=\"{required}\"";
            return GatewayProblems.WriteAsync(context, StatusCodes.Status403Forbidden, GatewayProblems.Forbidden, "Insufficient scope",
                $"This request needs the '{required}' scope.");
        }
        return next(context);
    }
}
