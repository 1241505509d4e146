using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Storage;
using Meridian.Storage.Caching;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Meridian.Hosting.Http;

/// <summary>
/// HTTP caching in one place, for the GET and HEAD routes marked with a <see cref="CachePolicy"/>: strong ETags
/// computed from the bytes sent, <c>If-None-Match</c> answered with 304, <c>Cache-Control</c> per kind of resource,
/// and for features and tiles a cache of finished (compressed) representations keyed by everything that shapes
/// their bytes, including the versions of the collections they show. Errors are never cached, and responses to
/// other methods (writes) are <c>no-store</c>.
/// </summary>
/// <remarks>
/// It sits outside response compression, so that a cached tile is compressed once, not on every hit, and so
/// that each content coding gets its own strong ETag, as RFC 9110 requires.
/// </remarks>
internal sealed class HttpCachingMiddleware(RequestDelegate next, MeridianOptions options, IRepresentationCache cache,
    ICollectionVersions versions, IResponseCompressionProvider compression, IServiceProvider services)
{
    public const string CacheStatusHeader = "X-Cache";

    /// <summary>Negotiation happens on both: the format from Accept (and f), the coding from Accept-Encoding.</summary>
    private const string Vary = "Accept, Accept-Encoding";

    private readonly CacheOptions _options = options.Cache;
    private readonly KnownCollections _known = new();
    private readonly RecentKeys _keys = new("http:");
    private readonly CodingNegotiation _codings = new(compression);
    private readonly CacheAdmission _admission = new(options.Cache.StoreOnFirstRequest);
    private static readonly string[] KindNames = Enum.GetNames<CacheKind>();
    private CollectionCatalog? _catalog;
    private readonly RouteHeaders[] _routes = Enum.GetValues<CacheKind>().Select(k => new RouteHeaders(options.Cache.For(k))).ToArray();

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.CacheControl = "no-store";
            return next(context);
        }
        // Routes without a policy (proxied ones among them) go straight on, without an async step of their own.
        return context.GetEndpoint()?.Metadata.GetMetadata<CachePolicy>() is { } policy ? CacheAsync(context, policy) : next(context);
    }

    private async Task CacheAsync(HttpContext context, CachePolicy policy)
    {
        var route = _routes[(int)policy.Kind];
        string? key = null;
        if (_options.Enabled && policy.Kind != CacheKind.Metadata)
        {
            key = await KeyAsync(context, policy);
            context.Response.Headers[CacheStatusHeader] = key is null ? "bypass" : "miss";
            if (key is not null && await cache.GetAsync(key, context.RequestAborted) is { } hit)
            {
                context.Response.Headers[CacheStatusHeader] = "hit";
                await WriteAsync(context, CachedRepresentation.Decode(hit), route);
                return;
            }
        }
        await MissAsync(context, route, key);
    }

    /// <summary>Runs the handler with its body held, then sends it and, when it is a representation worth keeping, caches it.</summary>
    private async Task MissAsync(HttpContext context, RouteHeaders route, string? key)
    {
        // In a method of its own: the callback's closure is made on entry, and a hit needs none.
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var body = new BufferedResponseBody(original, _options.MaxEntryBytes, () => SetCacheHeaders(context, route, etag: null));
        context.Features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            await next(context);
            await body.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }
        if (body.Overflowed) return;

        var response = context.Response;
        if (response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status204NoContent))
        {
            // Not a representation of the resource (a problem written by the handler itself): sent, never cached.
            response.Headers.CacheControl = "no-store";
            await response.Body.WriteAsync(body.Held, context.RequestAborted);
            return;
        }
        var representation = CachedRepresentation.Of(response.StatusCode, response.ContentType, response.Headers.ContentEncoding,
            response.Headers.ETag, body.Held);
        if (key is not null && route.Options.ServerSeconds > 0 && _admission.Admit(key))
            await cache.SetAsync(key, representation.Encode(), TimeSpan.FromSeconds(route.Options.ServerSeconds), context.RequestAborted);
        await WriteAsync(context, representation, route);
    }

    /// <summary>A 304 when the client holds these bytes already, else the representation.</summary>
    private static async Task WriteAsync(HttpContext context, CachedRepresentation representation, RouteHeaders route)
    {
        var response = context.Response;
        SetCacheHeaders(context, route, representation.ETag);
        if (representation.ETag is { } etag && EntityTag.IfNoneMatch(context.Request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentType = null;
            response.Headers.ContentEncoding = default;
            response.ContentLength = null;
            return;
        }
        response.StatusCode = representation.Status;
        response.ContentType = representation.ContentType;
        response.Headers.ContentEncoding = representation.ContentEncoding;
        if (representation.Status == StatusCodes.Status204NoContent) return;
        response.ContentLength = representation.Body.Length;
        await response.Body.WriteAsync(representation.Body, context.RequestAborted);
    }

    private static void SetCacheHeaders(HttpContext context, RouteHeaders route, string? etag)
    {
        var headers = context.Response.Headers;
        // An answer to a caller with credentials may hold what only its tenant sees: no shared cache may keep it.
        // (Asked of the feature: HttpContext.User would make an empty principal for every anonymous request.)
        var authenticated = context.Features.Get<IHttpAuthenticationFeature>()?.User?.Identity?.IsAuthenticated == true;
        headers.CacheControl = authenticated ? route.PrivateCacheControl : route.PublicCacheControl;
        headers.Vary = Vary;
        if (etag is not null) headers.ETag = etag;
    }

    /// <summary>A kind of resource's settings, with its Cache-Control values made once rather than per response.</summary>
    private sealed class RouteHeaders(RouteCacheOptions options)
    {
        public RouteCacheOptions Options { get; } = options;

        public string PublicCacheControl { get; } = CacheControl(options, "public");

        public string PrivateCacheControl { get; } = CacheControl(options, "private");

        private static string CacheControl(RouteCacheOptions route, string audience) =>
            route.MaxAge == 0
                ? "no-cache"
                : route.StaleWhileRevalidate == 0
                    ? $"{audience}, max-age={route.MaxAge}"
                    : $"{audience}, max-age={route.MaxAge}, stale-while-revalidate={route.StaleWhileRevalidate}";
    }

    /// <summary>
    /// The key of a request, or null to bypass the cache: the resource (scheme, host and path, since bodies hold absolute links), its query
    /// in a canonical order, what the format and coding are negotiated from, and the version of every collection
    /// it shows (<see cref="RepresentationKey"/>).
    /// Null when the versions cannot be confirmed (then nothing cached may be trusted) or the collection is unknown.
    /// </summary>
    private async ValueTask<string?> KeyAsync(HttpContext context, CachePolicy policy)
    {
        // A singleton, taken from the root provider: asking the request's services would open a request scope on
        // every cache hit, which otherwise needs none.
        var catalog = _catalog ??= services.GetRequiredService<CollectionCatalog>();
        try
        {
            if (context.Request.RouteValues[CachePolicy.CollectionRouteValue] is string id)
            {
                // Only known collections get versions (with Redis, a version is a key): any other id bypasses the
                // cache, and the handler answers as it would anyway, a 404 or, for a collection just created, the data.
                if (!(await _known.GetAsync(catalog, context.RequestAborted)).Contains(id)) return null;
                var shown = (id, await RequestVersions.GetAsync(versions, context, id, context.RequestAborted));
                return Key(context, policy, catalog.View(), new ReadOnlySpan<(string, long)>(ref shown));
            }
            // Every collection is in the bytes: the set itself must be current, so ask the catalog.
            var collections = await catalog.ListAsync(context.RequestAborted);
            var all = new (string, long)[collections.Count];
            for (var i = 0; i < all.Length; i++)
            {
                var collection = collections[i].Schema.Id;
                all[i] = (collection, await RequestVersions.GetAsync(versions, context, collection, context.RequestAborted));
            }
            return Key(context, policy, catalog.View(), all);
        }
        catch (VersionsUnavailableException)
        {
            return null;
        }
    }

    private string? Key(HttpContext context, CachePolicy policy, string view, ReadOnlySpan<(string Id, long Version)> shown)
    {
        var request = context.Request;
        var key = new RepresentationKey();
        try
        {
            key.Line(KindNames[(int)policy.Kind]);
            key.Line(request.Scheme);
            // What the links in the body name (the address reached, for a request without a Host).
            key.Line(RequestUrls.Authority(request).Value);
            key.Line(request.PathBase.Value);
            key.Line(request.Path.Value);
            if (!key.Query(request.QueryString.Value)) return null;
            key.LowerCaseLine(request.Headers.Accept.ToString());
            // Tenants see different collections (and the listing differs): each view has its own entries.
            key.Line(view);
            key.Line(_codings.For(context));
            foreach (var (id, version) in shown) key.Line(id, version);
            return key.Finish(_keys);
        }
        finally
        {
            key.Dispose();
        }
    }
}
