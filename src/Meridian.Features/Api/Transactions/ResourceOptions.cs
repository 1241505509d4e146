using Meridian.Hosting.Catalog;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Storage.Writing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// OPTIONS on the resources Part 4 writes (OGC 20-002r1, /req/create-replace-delete/options-op and options-response,
/// /req/update/methods): a 200 whose <c>Allow</c> lists the methods allowed at the time, so a client learns whether it
/// may POST, PUT, PATCH or DELETE before it tries. Write methods are listed when the resource is writable (not a
/// database view) and the server takes writes at all (a credential is configured); <c>Accept-Post</c> and
/// <c>Accept-Patch</c> name the media types the writes take. A missing collection or feature is a 404, as for GET.
/// </summary>
internal static class ResourceOptions
{
    private const string Read = "GET, HEAD, OPTIONS";

    /// <summary><c>/collections</c>: POST creates a collection in the store every process has (<see cref="CollectionHome"/>).</summary>
    public static void Collections(HttpContext context)
    {
        var writable = Writes(context);
        Respond(context, writable ? "GET, HEAD, POST, OPTIONS" : Read);
        if (writable) context.Response.Headers[AcceptPost] = MediaTypes.Json;
    }

    public static async Task CollectionAsync(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        Respond(context, Writes(context) && collection is IWritableFeatureCollection ? "GET, HEAD, DELETE, OPTIONS" : Read);
    }

    public static async Task ItemsAsync(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        var writable = Writes(context) && collection is IWritableFeatureCollection;
        Respond(context, writable ? "GET, HEAD, POST, OPTIONS" : Read);
        if (writable) context.Response.Headers[AcceptPost] = $"{MediaTypes.GeoJson}, {MediaTypes.Json}";
    }

    public static async Task FeatureAsync(HttpContext context, string collectionId, string featureId, CollectionCatalog catalog)
    {
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        await using (var reader = await collection.GetAsync(featureId, context.RequestAborted))
        {
            if (!await reader.ReadAsync(context.RequestAborted))
                throw ProblemException.NotFound($"Collection '{collectionId}' has no feature '{featureId}'.");
        }
        var writable = Writes(context) && collection is IWritableFeatureCollection;
        Respond(context, writable ? "GET, HEAD, PUT, PATCH, DELETE, OPTIONS" : Read);
        if (writable) context.Response.Headers[AcceptPatch] = $"{TransactionsApi.MergePatch}, {MediaTypes.Json}, {MediaTypes.GeoJson}";
    }

    /// <summary>The media types a POST takes (W3C LDP's header, which OGC 20-002 names).</summary>
    private const string AcceptPost = "Accept-Post";

    /// <summary>The media types a PATCH takes (RFC 5789, 3.1).</summary>
    private const string AcceptPatch = "Accept-Patch";

    private static bool Writes(HttpContext context) => context.RequestServices.GetRequiredService<WriteAccess>().AcceptsWrites(context);

    private static void Respond(HttpContext context, string allow)
    {
        foreach (var name in context.Request.Query.Keys)
            throw ProblemException.InvalidParameter(name, $"'{name}' is not a parameter of OPTIONS.");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.Allow = allow;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = 0;
    }
}
