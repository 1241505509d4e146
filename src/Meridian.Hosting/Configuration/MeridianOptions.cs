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

    /// <summary>Directory of Meridian's own embedded stores (one GeoPackage per collection under features/).</summary>
    [Required]
    public string Data { get; set; } = "data";

    /// <summary>Existing GeoPackage files whose layers are published as they are, without copying.</summary>
    public List<string> GeoPackages { get; set; } = [];

    public PostGisOptions PostGis { get; set; } = new();

    public FeaturesOptions Features { get; set; } = new();

    public TilesOptions Tiles { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Policies in front of every endpoint (WAF, authentication, rate limits) and the gateway role's routes.</summary>
    public GatewayOptions Gateway { get; set; } = new();
}

public sealed class PostGisOptions
{
    /// <summary>Npgsql keyword string or postgres:// URL; empty means no PostGIS store.</summary>
    [Secret]
    public string? ConnectionString { get; set; }

    /// <summary>Collection ids to publish (globs with '*'); empty publishes every table with a geometry column.</summary>
    public List<string> Include { get; set; } = [];

    public List<string> Exclude { get; set; } = [];

    /// <summary>Connections to open at most (default: twice this host's cores); requests beyond wait their turn.</summary>
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

public sealed class TelemetryOptions
{
    public string ServiceName { get; set; } = "meridian";

    /// <summary>OTLP endpoint for traces and metrics (e.g. http://127.0.0.1:4317); none exports nothing.</summary>
    [Url]
    public string? OtlpEndpoint { get; set; }
}

/// <summary>Marks a setting whose value never reaches logs or <c>meridian config print</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
