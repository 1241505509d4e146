using System.Text.Json;
using System.Text.Json.Serialization;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Hosting.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Meridian.Hosting;

/// <summary>What every role gets: problem details, JSON logs with trace ids, metrics, traces, health and readiness.</summary>
public static class ServiceDefaults
{
    /// <summary>Tag of the health checks that decide readiness (the stores of the roles in this process).</summary>
    public const string ReadyTag = "ready";

    /// <summary>The application property <c>UseAuthorization()</c> sets (ASP.NET Core's AuthorizationAppBuilderExtensions).</summary>
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, MeridianOptions options)
    {
        builder.Logging.ClearProviders();
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true; // carries TraceId and SpanId of the current activity
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
        });

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddHealthChecks();
        // Map clients (MapLibre, OpenLayers) run on other origins: reads are open to any origin, and no
        // credentials are ever shared cross-origin.
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().WithMethods("GET", "HEAD").AllowAnyHeader()));
        builder.Services.AddSingleton<GeospatialMetrics>();
        builder.Services.AddSingleton(sp => new Analytics.AnalyticsEvents(options, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddResponseCompression(o =>
        {
            // Safe over HTTPS here: BREACH needs a secret reflected next to attacker-chosen text in one body, and
            // no Meridian response carries secrets (no cookies, tokens or CSRF fields).
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = CompressedMediaTypes;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.Configure<ForwardedHeadersOptions>(o => TrustProxies(o, options.TrustedProxies));
        builder.WebHost.ConfigureKestrel(k =>
        {
            // "Server: Kestrel" tells a scanner which exploits to try and a client nothing it needs.
            k.AddServerHeader = false;
            // CQL2 filters travel in the query string (Part 3 has no POST), and a filter with a real polygon or a
            // long IN list passes Kestrel's default 8 KiB request line; Kestrel would answer those with a bare 414
            // before Meridian could say anything. 64 KiB covers the filter parser's own limit in most encodings;
            // past it, the 414 stays (the same bound keeps a hostile request line from holding much memory).
            k.Limits.MaxRequestLineSize = 64 * 1024;
            k.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
            {
                var metrics = k.ApplicationServices.GetRequiredService<GeospatialMetrics>();
                metrics.ConnectionOpened();
                try { await next(connection); }
                finally { metrics.ConnectionClosed(); }
            }));
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.Telemetry.ServiceName))
            .WithMetrics(m => m.AddMeter(GeospatialMetrics.MeterName).AddPrometheusExporter());
        // Spans are recorded only when they go somewhere: recording and enriching one per request, for nobody, cost
        // about as much CPU as the gateway's policies. Without it ASP.NET Core still gives each request an
        // activity, so logs, the traceparent sent to backends and message headers keep their trace ids.
        if (options.Telemetry.OtlpEndpoint is { } endpoint)
        {
            telemetry.WithTracing(t => t.AddSource(GeospatialMetrics.ActivitySource.Name, Messaging.MessageTracing.Source.Name).AddAspNetCoreInstrumentation(
                a => a.Filter = c => !IsProbe(c.Request.Path)));
            telemetry.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(endpoint));
        }
        return builder;
    }

    /// <summary>
    /// The middleware every process runs; <paramref name="policies"/> (the gateway's WAF, authentication and rate
    /// limits) go before the HTTP cache, so that a cached answer is only ever given to a request they let through,
    /// and is looked up knowing who asks.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app, Action<IApplicationBuilder> policies)
    {
        // Meridian authorizes in its own policies (the gateway's access middleware), and no endpoint carries ASP.NET
        // Core authorization metadata. YARP registers the authorization services all the same, and WebApplication then
        // puts the framework's authorization middleware in front of every request unless this key (the one
        // UseAuthorization sets) says it is there: it would find no policy, after filling HttpContext.Items and an
        // async step, on every request, cache hits included. Should an endpoint ever carry such metadata, the endpoint
        // middleware refuses to run it without authorization (an exception, never an open door).
        ((IApplicationBuilder)app).Properties[AuthorizationMiddlewareSetKey] = true;
        // First, so that everything after (links, cache keys, the WAF's and rate limits' client address) sees the
        // request as the client made it to the proxy in front, when that proxy is trusted.
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseExceptionHandler();
        // Bodiless errors (unmatched routes, 405s) get a problem body too.
        app.UseMiddleware<StatusCodeProblemsMiddleware>();
        // CORS does nothing without an Origin header: only cross-origin requests go through it.
        app.UseWhen(context => context.Request.Headers.ContainsKey(HeaderNames.Origin), cors => cors.Use(next => Cors(cors, next)));
        policies(app);
        // Caching outside compression: cached bytes are already compressed, and each coding has its own ETag.
        app.UseMiddleware<HttpCachingMiddleware>();
        app.UseResponseCompression();
        return app;
    }

    /// <summary>
    /// ASP.NET Core's CORS middleware made by hand rather than by <c>UseCors()</c>: its <c>Invoke</c> takes the policy
    /// provider as a per-request service, which <c>UseMiddleware</c> binds by compiling an expression tree at every
    /// start and answers from a request scope on every call. The default provider is a stateless reader of options.
    /// </summary>
    private static RequestDelegate Cors(IApplicationBuilder app, RequestDelegate next)
    {
        var services = app.ApplicationServices;
        var middleware = new CorsMiddleware(next, services.GetRequiredService<ICorsService>(), services.GetRequiredService<ILoggerFactory>());
        var policies = services.GetRequiredService<ICorsPolicyProvider>();
        return context => middleware.Invoke(context, policies);
    }

    /// <summary>
    /// Links are absolute, built from the request's scheme, host and path base; behind a proxy (the gateway role, a load
    /// balancer) those are the proxy's view of the backend unless its X-Forwarded-* headers are believed. They are only
    /// from the proxies trusted (by default loopback: anyone else could name any host), the last hop of each.
    /// </summary>
    private static void TrustProxies(ForwardedHeadersOptions forwarded, List<string> trusted)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost
            | ForwardedHeaders.XForwardedPrefix;
        if (trusted.Count == 0) return; // ASP.NET Core's defaults: 127.0.0.0/8 and ::1
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        foreach (var proxy in trusted)
        {
            if (System.Net.IPAddress.TryParse(proxy, out var address)) forwarded.KnownProxies.Add(address);
            else forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
        }
    }

    /// <summary>Text formats and vector tiles (protobuf, about halved by gzip); not images or archives.</summary>
    private static readonly string[] CompressedMediaTypes =
    [
        "application/json", "application/geo+json", "application/problem+json", "application/vnd.oai.openapi+json",
        "application/vnd.mapbox-vector-tile", "text/html", "text/css", "text/javascript", "application/javascript", "text/plain",
    ];

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteHealth });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/ready") || path.StartsWithSegments("/metrics");

    /// <summary>
    /// A small JSON report: the overall status and each check's status under its generic name. Which store a check asks
    /// (a host and port, a path, a bucket) and why it failed are for administrators (the gateway's admin scope): probes
    /// and other callers need only the status, and an address or an error message helps an attacker map the network.
    /// Never stack traces; the failures are logged in full.
    /// </summary>
    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var details = GrantedScopes.IsAdmin(context.User);
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => details
                ? new HealthEntry(e.Value.Status.ToString(), e.Value.Description, e.Value.Exception?.Message)
                : new HealthEntry(e.Value.Status.ToString(), null, null)),
        }, HealthJson);
    }

    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <param name="Target">The store asked, for administrators.</param>
    /// <param name="Error">Why it failed, for administrators.</param>
    private sealed record HealthEntry(string Status, string? Target, string? Error);
}
