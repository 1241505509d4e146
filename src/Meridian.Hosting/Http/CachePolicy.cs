using Meridian.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;

namespace Meridian.Hosting.Http;

/// <summary>The kinds of resources, each with its own caching settings (<see cref="CacheOptions"/>).</summary>
public enum CacheKind
{
    /// <summary>Documents about the data (landing page, collections, tilesets, TileJSON): HTTP caching only.</summary>
    Metadata,

    /// <summary>Item pages and single features: cached by Meridian under the versions of their collection.</summary>
    Features,

    /// <summary>Vector tiles: cached by Meridian under the versions of their collection, or of every collection.</summary>
    Tiles,
}

/// <summary>Endpoint metadata that puts a GET route under <see cref="HttpCachingMiddleware"/>.</summary>
public sealed record CachePolicy(CacheKind Kind)
{
    /// <summary>The route value naming the collection a representation depends on; without it, it depends on all.</summary>
    public const string CollectionRouteValue = "collectionId";
}

public static class CachePolicyExtensions
{
    /// <summary>ETags, conditional GETs and Cache-Control for this route, and for features and tiles a cache in Meridian.</summary>
    public static TBuilder CacheAs<TBuilder>(this TBuilder builder, CacheKind kind) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CachePolicy(kind));

    internal static RouteCacheOptions For(this CacheOptions options, CacheKind kind) => kind switch
    {
        CacheKind.Tiles => options.Tiles,
        CacheKind.Features => options.Features,
        _ => options.Metadata,
    };
}
