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
    /// one; null means <see cref="DefaultMaxConnections"/>. Extra requests wait for a connection instead of making
    /// every query slower.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// Four per core, 8 to 64. Short statements (tiles at z8–12: ~3 ms) need more in flight than there are cores to
    /// keep PostgreSQL busy while Meridian encodes; with 2 × cores uncached tiles reached 0.77 of raw ST_AsMVT and
    /// with 4 × cores 0.87, while item pages were the same or better (bench/RESULTS.md, 2026-11-30). The cap keeps a
    /// few replicas on a large host under PostgreSQL's default of 100 connections.
    /// </summary>
    public static int DefaultMaxConnections => Math.Clamp(4 * Environment.ProcessorCount, 8, 64);
}
