using System.ComponentModel.DataAnnotations;

namespace Meridian.Hosting.Configuration;

/// <summary>
/// One policy configuration for both modes: the same WAF, authentication and rate limits run in front of the
/// endpoints of a single process and in front of the routes the <c>gateway</c> role proxies to other roles.
/// </summary>
public sealed class GatewayOptions
{
    public WafOptions Waf { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public RateLimitingOptions RateLimiting { get; set; } = new();

    /// <summary>Redis shared by gateway replicas (rate-limit counters, release state); none keeps both in this process's memory.</summary>
    [Secret]
    public string? RedisConnectionString { get; set; }

    /// <summary>Largest request body accepted (413 beyond); null keeps Kestrel's default (30 MB).</summary>
    [Range(0, long.MaxValue)]
    public long? MaxRequestBodyBytes { get; set; }

    /// <summary>Adds X-Content-Type-Options, Referrer-Policy and X-Frame-Options to every response.</summary>
    public bool SecurityHeaders { get; set; } = true;

    /// <summary>
    /// Runs socket completions on the runtime's socket threads instead of handing each to the thread pool (the
    /// runtime's DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS). None: on when the process runs the gateway role alone,
    /// off otherwise. When on, the process also runs one socket thread per two cores unless
    /// DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT is set. See <c>Meridian.Composition.ProxySockets</c> for why.
    /// </summary>
    public bool? InlineSocketCompletions { get; set; }

    /// <summary>Routes of the gateway role by name: a path prefix and/or hosts, sent to a cluster.</summary>
    public Dictionary<string, GatewayRouteOptions> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Clusters of the gateway role by name: the destinations a route's requests are balanced over.</summary>
    public Dictionary<string, GatewayClusterOptions> Clusters { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public enum WafMode
{
    /// <summary>Findings are answered with 403 and logged.</summary>
    Block,

    /// <summary>Findings are only logged; requests pass.</summary>
    DetectOnly,

    Off,
}

public sealed class WafOptions
{
    public WafMode Mode { get; set; } = WafMode.Block;

    /// <summary>1 (signatures of well-known attacks only) to 4 (anything unusual); higher levels block more legitimate traffic.</summary>
    [Range(1, 4)]
    public int Paranoia { get; set; } = 1;

    /// <summary>Bytes of a request body inspected; the rest passes uninspected.</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Longest header value accepted.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxHeaderBytes { get; set; } = 8 * 1024;

    /// <summary>Most header fields accepted in one request.</summary>
    [Range(8, 1000)]
    public int MaxHeaders { get; set; } = 100;

    /// <summary>Rules switched off for some paths and parts of a request.</summary>
    public List<WafExclusion> Exclusions { get; set; } = [];
}

/// <summary>Rules (ids such as "sqli-union" or whole categories such as "sqli") not applied under a path prefix.</summary>
public sealed class WafExclusion
{
    [Required]
    public string PathPrefix { get; set; } = "/";

    public List<string> Rules { get; set; } = [];

    /// <summary>Parts the exclusion applies to: "path", "query", "query:NAME", "header", "header:NAME", "body"; none means all.</summary>
    public List<string> Targets { get; set; } = [];
}

public sealed class AuthOptions
{
    /// <summary>Whether requests are authenticated and authorized at all. Off by default: the embedded mode needs no keys.</summary>
    public bool Enabled { get; set; }

    /// <summary>Whether reads (GET, HEAD, OPTIONS outside the admin paths) need no credentials.</summary>
    public bool AnonymousRead { get; set; } = true;

    /// <summary>Path prefixes that need the admin scope (any method); /admin always does.</summary>
    public List<string> AdminPaths { get; set; } = [];

    /// <summary>PostgreSQL database of the API keys; none keeps them in DATA/keys.db (SQLite).</summary>
    [Secret]
    public string? KeysConnectionString { get; set; }

    /// <summary>How long a looked-up key is trusted before the store is asked again (so revocation takes this long at most).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>
    /// Owner tenants of existing collections by id (those loaded before tenancy or by <c>meridian ingest</c>); a
    /// collection created through the API belongs to its creator's tenant. Collections with no owner are public.
    /// </summary>
    public Dictionary<string, string> CollectionTenants { get; set; } = new(StringComparer.Ordinal);
}

public sealed class JwtOptions
{
    /// <summary>OpenID Connect issuer; its discovery document and JWKS give the signing keys.</summary>
    [Url]
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>Expected issuer when keys come from configuration rather than an authority.</summary>
    public string? Issuer { get; set; }

    /// <summary>Signing keys: base64 HMAC secrets, or PEM RSA/EC public keys.</summary>
    [Secret]
    public string? SigningKey { get; set; }

    /// <summary>Claim holding space-separated scopes (read, write, admin).</summary>
    public string ScopeClaim { get; set; } = "scope";

    public string TenantClaim { get; set; } = "tenant";

    /// <summary>Only for tests and development: lets the authority be plain http.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

public enum RateLimitPartition
{
    ClientIp,
    ApiKey,
    Tenant,
}

public enum RateLimitAlgorithm
{
    FixedWindow,
    TokenBucket,
}

public sealed class RateLimitingOptions
{
    /// <summary>Every rule that applies to a request must allow it. None: no rate limiting.</summary>
    public List<RateLimitRule> Rules { get; set; } = [];
}

/// <summary>
/// Limit requests per Window for each client IP, API key or tenant. A token bucket holds Limit tokens and
/// refills Limit per Window evenly (bursts up to Limit); a fixed window counts from its first request.
/// </summary>
public sealed class RateLimitRule
{
    [Required, RegularExpression("^[A-Za-z0-9_-]+$")]
    public string Name { get; set; } = "";

    public RateLimitPartition Partition { get; set; } = RateLimitPartition.ClientIp;

    public RateLimitAlgorithm Algorithm { get; set; } = RateLimitAlgorithm.FixedWindow;

    [Range(1, int.MaxValue)]
    public int Limit { get; set; } = 2000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class GatewayRouteOptions
{
    /// <summary>Requests whose path starts with this (e.g. /collections, /api/v2, /graphql) take this route.</summary>
    public string? PathPrefix { get; set; }

    /// <summary>Host names (with optional port, * wildcards) this route answers for; none means any.</summary>
    public List<string> Hosts { get; set; } = [];

    [Required]
    public string Cluster { get; set; } = "";

    /// <summary>Whole-request deadline (504 after it); none means no deadline.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Attempts in all for idempotent requests without a body (1: no retry).</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 1;

    /// <summary>Deadline of one attempt; none means only the whole-request deadline.</summary>
    public TimeSpan? TryTimeout { get; set; }

    /// <summary>Lower numbers are matched first.</summary>
    public int Order { get; set; }

    /// <summary>Largest request body this route forwards (413 beyond); none: Gateway:MaxRequestBodyBytes.</summary>
    [Range(0, long.MaxValue)]
    public long? MaxRequestBodyBytes { get; set; }

    /// <summary>Largest response body this route passes on from its backend (502 beyond); none: no limit.</summary>
    [Range(0, long.MaxValue)]
    public long? MaxResponseBodyBytes { get; set; }

    /// <summary>A canary or blue/green release between Cluster (stable) and another cluster; none: all traffic to Cluster.</summary>
    public ReleaseOptions? Release { get; set; }
}

public enum ReleaseKind
{
    /// <summary>A growing share of the traffic goes to the candidate while its error rate and p95 latency stay healthy.</summary>
    Canary,

    /// <summary>All traffic goes to one of the two clusters; switched by an administrator.</summary>
    BlueGreen,
}

/// <summary>
/// A release of a route: its Cluster is the stable group, Release:Cluster the candidate (canary or green).
/// A canary starts at StartPercent, gains StepPercent every Interval while healthy up to MaxPercent, then is
/// promoted (all traffic); an unhealthy canary is rolled back at once (no traffic).
/// </summary>
public sealed class ReleaseOptions
{
    public ReleaseKind Kind { get; set; } = ReleaseKind.Canary;

    /// <summary>The candidate cluster (the canary, or the green group of a blue/green release).</summary>
    [Required]
    public string Cluster { get; set; } = "";

    [Range(1, 100)]
    public int StartPercent { get; set; } = 5;

    [Range(1, 100)]
    public int StepPercent { get; set; } = 10;

    /// <summary>The largest share the canary gets before it is promoted.</summary>
    [Range(1, 100)]
    public int MaxPercent { get; set; } = 50;

    /// <summary>How long each share is held and analysed before the next step.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The canary is healthy while its share of 5xx answers (and transport errors) stays under this.</summary>
    [Range(0.0001, 1.0)]
    public double MaxErrorRate { get; set; } = 0.01;

    /// <summary>The canary is healthy while its 95th-percentile latency stays under this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxP95Latency { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Canary requests in a step before it is judged: fewer neither step it up nor roll it back.</summary>
    [Range(1, 1_000_000)]
    public int MinRequests { get; set; } = 20;
}

public sealed class GatewayClusterOptions
{
    /// <summary>Destination base addresses, e.g. http://features-1:8080.</summary>
    public List<string> Destinations { get; set; } = [];

    /// <summary>Path probed by active health checks (e.g. /ready); none switches them off.</summary>
    public string? HealthPath { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failed responses (5xx or transport errors) that eject a destination.</summary>
    [Range(1, 1000)]
    public int EjectAfterErrors { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan EjectFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most destinations ejected at once, in percent of the cluster.</summary>
    [Range(0, 100)]
    public int MaxEjectedPercent { get; set; } = 50;

    /// <summary>Connections to one destination at most.</summary>
    [Range(1, 100_000)]
    public int? MaxConnectionsPerDestination { get; set; }

    /// <summary>Requests in flight to this cluster at most; further ones get 503.</summary>
    [Range(1, 1_000_000)]
    public int? MaxConcurrentRequests { get; set; }
}
