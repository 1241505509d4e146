using Meridian.Hosting.Configuration;
using Meridian.Hosting.Security;
using Microsoft.AspNetCore.Http;

namespace Meridian.Gateway.Auth;

/// <summary>
/// The scope a request needs, decided from its method and path so that the same rule covers Meridian's own
/// endpoints and proxied routes: probes are open; /admin (and the configured admin paths) need admin; reads
/// need read unless anonymous reads are on; everything else is a write, but for the execution of the processes
/// configured to be open (<see cref="AnonymousProcesses"/>).
/// </summary>
internal sealed class AccessPolicy(AuthOptions options, AnonymousProcesses anonymousProcesses)
{
    private static readonly string[] Probes = ["/health", "/ready", "/metrics"];
    private readonly string[] _adminPaths = ["/admin", .. options.AdminPaths];

    /// <summary>Whether JWT bearer tokens are configured (an authority, or a signing key); without, "Bearer" credentials are ignored.</summary>
    public bool AcceptsBearerTokens { get; } = options.Jwt.Authority is not null || options.Jwt.SigningKey is not null;

    /// <summary>The scope needed, or null when anyone may make the request.</summary>
    public string? RequiredScope(HttpRequest request)
    {
        var path = request.Path;
        if (Probes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return null;
        if (_adminPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))) return Scopes.Admin;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return options.AnonymousRead ? null : Scopes.Read;
        return anonymousProcesses.Allows(request) ? null : Scopes.Write;
    }
}
