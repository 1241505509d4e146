using Meridian.Gateway.Http;
using Meridian.Gateway.Waf;
using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway;

/// <summary>
/// The policies in front of every endpoint, whichever roles a process runs: request ids and security headers,
/// the WAF, authentication and authorization, rate limits. In a single process they guard Meridian's own
/// endpoints; in the gateway role the same pipeline guards the routes proxied to other roles.
/// </summary>
public static class GatewayPolicies
{
    public static IServiceCollection AddGatewayPolicies(this IServiceCollection services, MeridianOptions options)
    {
        var gateway = options.Gateway;
        services.AddSingleton(new WafInspector(gateway.Waf));
        if (gateway.MaxRequestBodyBytes is { } maxBody) services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = maxBody);
        return services;
    }

    /// <summary>Call after the service defaults (problems, CORS) and before the endpoints.</summary>
    public static IApplicationBuilder UseGatewayPolicies(this IApplicationBuilder app, MeridianOptions options)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        if (options.Gateway.SecurityHeaders) app.UseMiddleware<SecurityHeadersMiddleware>();
        if (options.Gateway.Waf.Mode != WafMode.Off) app.UseMiddleware<WafMiddleware>();
        return app;
    }
}
