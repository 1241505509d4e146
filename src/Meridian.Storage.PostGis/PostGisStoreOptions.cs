namespace Meridian.Storage.PostGis;

/// <summary>Where a PostGIS feature store reads from and which relations it publishes.</summary>
public sealed record PostGisStoreOptions
{
    /// <summary>
    /// An Npgsql keyword string (<c>Host=...;Database=...</c>) or a
    /// <c>postgres://user:password@host:port/database?sslmode=require</c> URL.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// Collection ids to publish, as patterns where <c>*</c> matches any run of characters (<c>"roads_*"</c>,
    /// <c>"osm.*"</c>); empty publishes every relation with a geometry column. Matching is case-sensitive,
    /// like quoted PostgreSQL identifiers.
    /// </summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Collection id patterns never published, even when included.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>
    /// The most connections this store opens (Npgsql's Maximum Pool Size) unless the connection string sets
    /// one; null means twice this host's cores. PostgreSQL answers fastest with few active queries: extra
    /// requests wait for a connection instead of making every query slower (bench/RESULTS.md).
    /// </summary>
    public int? MaxConnections { get; init; }
}
