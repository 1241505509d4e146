using System.ComponentModel.DataAnnotations;

namespace Meridian.Hosting.Configuration;

/// <summary>
/// The one options tree, bound from the "Meridian" section of appsettings.json, MERIDIAN__* environment
/// variables and the command line. Unknown keys are rejected at start-up (see <see cref="OptionsValidator"/>).
/// </summary>
public sealed class MeridianOptions
{
    public const string Section = "Meridian";

    /// <summary>Roles this process runs; empty or "all" runs every role.</summary>
    /// <remarks>Empty by default: the configuration binder appends to a list, so a default item could never be replaced.</remarks>
    public List<string> Roles { get; set; } = [];

    /// <summary>
    /// Every role the deployment runs, in this process or in others ("all" for every role); empty: this process's roles.
    /// The landing page, <c>/conformance</c> and <c>/api</c> describe these roles, so that a split deployment is discovered
    /// from any of its processes as the single process is.
    /// </summary>
    public List<string> DeployedRoles { get; set; } = [];

    /// <summary>Directory of Meridian's own embedded stores (one GeoPackage per collection under features/).</summary>
    [Required]
    public string Data { get; set; } = "data";

    /// <summary>Existing GeoPackage files whose layers are published as they are, without copying.</summary>
    public List<string> GeoPackages { get; set; } = [];

    public PostGisOptions PostGis { get; set; } = new();

    public FeaturesOptions Features { get; set; } = new();

    public TilesOptions Tiles { get; set; } = new();

    public CacheOptions Cache { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    public ObjectStoreOptions Objects { get; set; } = new();

    public IngestOptions Ingest { get; set; } = new();

    /// <summary>Webhook delivery of job and workflow events (the <c>notifications</c> role).</summary>
    public NotificationsOptions Notifications { get; set; } = new();
    /// <summary>The message bus that carries jobs from the roles that accept them to the workers.</summary>
    public MessagingOptions Messaging { get; set; } = new();

    public WorkerOptions Worker { get; set; } = new();

    public SecurityOptions Security { get; set; } = new();

    /// <summary>Policies in front of every endpoint (WAF, authentication, rate limits) and the gateway role's routes.</summary>
    public GatewayOptions Gateway { get; set; } = new();

    /// <summary>Usage events written to the object store as Parquet, and the analytics role's queries over them.</summary>
    public AnalyticsOptions Analytics { get; set; } = new();

    /// <summary>
    /// The proxies (IP addresses or CIDR networks) whose X-Forwarded-For, -Proto, -Host and -Prefix headers are believed,
    /// so that links name the address clients used; none: loopback only (a gateway role on the same machine).
    /// </summary>
    [IpNetworks]
    public List<string> TrustedProxies { get; set; } = [];
}

/// <summary>Every item is an IP address or a CIDR network (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IpNetworksAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is IEnumerable<string> items && items.FirstOrDefault(i => !System.Net.IPNetwork.TryParse(i, out _) && !System.Net.IPAddress.TryParse(i, out _)) is { } bad
            ? new ValidationResult($"'{bad}' is neither an IP address nor a CIDR network", [validationContext.MemberName!])
            : ValidationResult.Success;
}

public sealed class PostGisOptions
{
    /// <summary>Npgsql keyword string or postgres:// URL; empty means no PostGIS store.</summary>
    [Secret]
    public string? ConnectionString { get; set; }

    /// <summary>Collection ids to publish (globs with '*'); empty publishes every table with a geometry column.</summary>
    public List<string> Include { get; set; } = [];

    public List<string> Exclude { get; set; } = [];

    /// <summary>Connections to open at most (default: four per core, 8 to 64); requests beyond wait their turn.</summary>
    [Range(1, 10_000)]
    public int? MaxConnections { get; set; }
}

public sealed class FeaturesOptions
{
    public string Title { get; set; } = "Meridian";

    public string Description { get; set; } = "Geospatial data served through OGC API - Features.";

    [Range(1, 100_000)]
    public int DefaultLimit { get; set; } = 10;

    /// <summary>Larger limit values are lowered to this, as OGC API - Features allows, rather than refused.</summary>
    [Range(1, 100_000)]
    public int MaxLimit { get; set; } = 10_000;

    /// <summary>Whether item pages report numberMatched, which costs a count query on large pages.</summary>
    public bool NumberMatched { get; set; } = true;

    /// <summary>The largest request body a write (a feature, a patch, a collection) may have; larger ones are 413s.</summary>
    [Range(1024, 1L << 30)]
    public long MaxWriteBytes { get; set; } = 4L << 20;

    /// <summary>Whether replacing, updating and deleting a feature needs an If-Match header (428 without one), against lost updates.</summary>
    public bool RequireIfMatch { get; set; }
}

public sealed class TilesOptions
{
    /// <summary>The integer grid of a tile: coordinates run from 0 to Extent (MVT's usual 4096).</summary>
    [Range(256, 65_536)]
    public int Extent { get; set; } = 4096;

    /// <summary>Grid units geometries reach past a tile's edges, so that lines and outlines join up across tiles.</summary>
    [Range(0, 4096)]
    public int Buffer { get; set; } = 64;

    /// <summary>Features per collection in one tile at most; further ones are left out.</summary>
    [Range(1, 1_000_000)]
    public int MaxFeatures { get; set; } = 10_000;

    /// <summary>
    /// Douglas-Peucker tolerance in grid units, so the same on screen at every zoom level (in the tile CRS it
    /// halves with each level); 0 only snaps to the grid.
    /// </summary>
    [Range(0.0, 64.0)]
    public double Simplification { get; set; } = 1.0;
}

public sealed class CacheOptions
{
    /// <summary>
    /// StackExchange.Redis configuration (e.g. <c>127.0.0.1:6379,password=…</c>) of the Redis that processes share as
    /// their L2 cache and collection versions; none keeps the cache and the versions in this process.
    /// </summary>
    [Secret]
    public string? Redis { get; set; }

    /// <summary>Whether tiles, item pages and features are cached by Meridian (HTTP validators and Cache-Control are sent either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Store a representation the first time it is served; by default only the second time its key is asked for in
    /// this process, so that one-off pages and tiles do not fill the cache (see <c>CacheAdmission</c>).
    /// </summary>
    public bool StoreOnFirstRequest { get; set; }

    /// <summary>Largest representation cached, and buffered to give it an ETag; larger ones stream without either.</summary>
    [Range(1024, 64 << 20)]
    public int MaxEntryBytes { get; set; } = 1 << 20;

    /// <summary>Memory of the in-process cache (L1) in bytes; the least recently used entries go first.</summary>
    [Range(1 << 20, long.MaxValue)]
    public long MemoryBytes { get; set; } = 256L << 20;

    /// <summary>How long a Redis command may take before the request carries on without the cache.</summary>
    [Range(50, 60_000)]
    public int RedisTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>Tiles: rarely change, cheap to keep.</summary>
    public RouteCacheOptions Tiles { get; set; } = new() { MaxAge = 3600, StaleWhileRevalidate = 86_400, ServerSeconds = 3600 };

    /// <summary>Item pages and single features.</summary>
    public RouteCacheOptions Features { get; set; } = new() { MaxAge = 60, StaleWhileRevalidate = 60, ServerSeconds = 600 };

    /// <summary>Landing page, collections, tilesets, TileJSON, OpenAPI, maps: HTTP caching only.</summary>
    public RouteCacheOptions Metadata { get; set; } = new() { MaxAge = 60, StaleWhileRevalidate = 60 };
}

/// <summary>How one kind of resource may be cached: by clients and CDNs (Cache-Control) and by Meridian itself.</summary>
public sealed class RouteCacheOptions
{
    /// <summary>Cache-Control max-age in seconds; 0 sends <c>no-cache</c> (store, but revalidate with the ETag every time).</summary>
    [Range(0, 31_536_000)]
    public int MaxAge { get; set; }

    /// <summary>Cache-Control stale-while-revalidate in seconds: how long a CDN may serve a stale copy while it refreshes it.</summary>
    [Range(0, 31_536_000)]
    public int StaleWhileRevalidate { get; set; }

    /// <summary>How long Meridian keeps a representation; a write makes it unreachable at once whatever this says.</summary>
    [Range(0, 31_536_000)]
    public int ServerSeconds { get; set; }
}

public sealed class TelemetryOptions
{
    public string ServiceName { get; set; } = "meridian";

    /// <summary>OTLP endpoint for traces and metrics (e.g. http://127.0.0.1:4317); none exports nothing.</summary>
    [Url]
    public string? OtlpEndpoint { get; set; }
}

public sealed class ObjectStoreOptions
{
    /// <summary>The local object store's directory; default DATA/objects. Ignored when an S3 bucket is set.</summary>
    public string? Root { get; set; }

    /// <summary>A file holding a 32-byte key (raw or base64): the local store then encrypts objects at rest (AES-256-GCM).</summary>
    public string? EncryptionKeyFile { get; set; }

    public S3Options S3 { get; set; } = new();
}

/// <summary>An S3 bucket (AWS, or any S3-compatible server through ServiceUrl) as the object store.</summary>
public sealed class S3Options
{
    /// <summary>Setting a bucket switches the object store from the local directory to S3.</summary>
    public string? Bucket { get; set; }

    public string Prefix { get; set; } = "";

    [Url]
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Empty uses the AWS SDK's default credential chain (environment, profile, instance role).</summary>
    public string? AccessKeyId { get; set; }

    [Secret]
    public string? SecretAccessKey { get; set; }

    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Send payload checksums only when an operation needs them: some S3-compatible servers reject the SDK's default ones.</summary>
    public bool ChecksumsOnlyWhenRequired { get; set; } = true;

    /// <summary>"AES256" or "aws:kms"; empty leaves it to the bucket's default encryption.</summary>
    [AllowedValues(null, "", "AES256", "aws:kms")]
    public string? ServerSideEncryption { get; set; }

    public string? KmsKeyId { get; set; }
}

public sealed class IngestOptions
{
    /// <summary>The largest single upload request: a whole file, or one part of an upload in parts.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Archives (zipped Shapefiles, KMZ): the most all their unpacked files may hold, against zip bombs.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUnpackedBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Archives: an entry inflating more than this many times its packed size is a zip bomb (entries under 1 MiB are exempt).</summary>
    [Range(2, 1_000_000)]
    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>
    /// An upload in parts nobody has added to for this long is dropped with its parts (as an S3 lifecycle rule
    /// aborts incomplete multipart uploads): a client that gave up would otherwise leave them in the store forever.
    /// A week by default, for clients resuming after a long outage.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan AbandonedUploadsExpireAfter { get; set; } = TimeSpan.FromDays(7);
}

public sealed class NotificationsOptions
{
    /// <summary>
    /// Deliver webhooks to loopback, private and link-local addresses too. Off by default: a subscriber could
    /// otherwise reach what only the server can (its metadata endpoint, its database); on for receivers inside
    /// your own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Attempts to deliver one event before it goes to the subscription's dead letters.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; each further retry waits twice as long, up to <see cref="MaxRetrySeconds"/>.</summary>
    [Range(0.001, 3600)]
    public double FirstRetrySeconds { get; set; } = 1;

    [Range(0.001, 86_400)]
    public double MaxRetrySeconds { get; set; } = 3600;

    /// <summary>How long a webhook endpoint may take to answer one delivery.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;
}

public sealed class MessagingOptions
{
    /// <summary>
    /// An AMQP URI (<c>amqp://user:password@host:5672/vhost</c>, or <c>amqps://</c>) of the RabbitMQ that every process
    /// of a deployment shares; none keeps the bus in DATA/messages.db, for one process (or several on one machine).
    /// </summary>
    [Secret]
    public string? RabbitMq { get; set; }
}

public sealed class WorkerOptions
{
    /// <summary>Jobs one worker process runs at once: its consumer's prefetch on the bus.</summary>
    [Range(1, 1000)]
    public int Concurrency { get; set; } = 4;
}

public sealed class SecurityOptions : IValidatableObject
{
    public const string HashPrefix = "sha256:";

    /// <summary>
    /// Keys that may write (create, replace, update, delete features and collections): each the key itself or
    /// <c>sha256:</c> and the hex SHA-256 of the key. None configured refuses every write.
    /// </summary>
    [Secret]
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>
    /// Ids of processes anyone may execute, without a key or the write scope (see <c>AnonymousProcesses</c>). None by
    /// default; meant for processes without side effects, such as <c>echo</c> for OGC's conformance suite.
    /// </summary>
    public List<string> AnonymousProcesses { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Positions, never values: the keys are secrets.
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var problem = key.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase)
                ? key.Length == HashPrefix.Length + 64 && key[HashPrefix.Length..].All(char.IsAsciiHexDigit) ? null : "is not sha256: and 64 hex digits"
                : key.Length >= 16 ? null : "is shorter than 16 characters";
            if (problem is not null) yield return new ValidationResult($"key #{i} {problem}", [nameof(ApiKeys)]);
        }
    }
}

/// <summary>Marks a setting whose value never reaches logs or <c>meridian config print</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
