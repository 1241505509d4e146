using Meridian.Gateway.Auth;
using Meridian.Gateway.Http;
using Meridian.Gateway.RateLimiting;
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
        GatewayOptionsCheck.Validate(gateway);
        if (gateway.Waf.Mode != WafMode.Off) services.AddSingleton(new WafInspectorBuild(gateway.Waf));
        services.AddRequestTimeouts();
        if (gateway.Auth.Enabled) GatewayAuthentication.Add(services, options);
        if (gateway.RedisConnectionString is { Length: > 0 } redis) GatewayStore.Add(services, redis);
        if (gateway.RateLimiting.Rules.Count > 0) AddRateLimitCounters(services, gateway);
        if (gateway.MaxRequestBodyBytes is { } maxBody) services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = maxBody);
        return services;
    }

    /// <summary>Call after the service defaults (problems, CORS) and before the endpoints.</summary>
    public static IApplicationBuilder UseGatewayPolicies(this IApplicationBuilder app, MeridianOptions options)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        // Per-route deadlines (Gateway:Routes:*:Timeout) are enforced by ASP.NET Core's request timeouts, the only
        // ones Meridian sets: without any, its middleware would look for a timeout on every request and find none.
        if (options.Gateway.Routes.Values.Any(r => r.Timeout is not null)) app.UseRequestTimeouts();
        if (options.Gateway.SecurityHeaders) app.UseMiddleware<SecurityHeadersMiddleware>();
        if (options.Gateway.Waf.Mode != WafMode.Off) app.UseMiddleware<WafMiddleware>();
        if (options.Gateway.Auth.Enabled) app.UseMiddleware<AccessMiddleware>();
        if (options.Gateway.RateLimiting.Rules.Count > 0) app.UseMiddleware<RateLimitMiddleware>();
        return app;
    }

    private static void AddRateLimitCounters(IServiceCollection services, GatewayOptions options)
    {
        if (options.RedisConnectionString is { Length: > 0 })
        {
            services.AddSingleton<IRateLimitCounters, RedisRateLimitCounters>();
            GatewayStore.AddReadiness(services);
        }
        else services.AddSingleton<IRateLimitCounters>(new MemoryRateLimitCounters(TimeProvider.System));
    }
}
