using System.Text.Json;
using Meridian.Hosting.Catalog;
using Meridian.Features.Formats;
using Meridian.Features.Formats.Html;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Http;
using Meridian.Hosting.Modules;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Telemetry;
using Meridian.Storage;
using Meridian.Storage.Querying;
using Meridian.Storage.Spatial;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Features.Api;

/// <summary>OGC API - Features Part 1: every route of the module, then one handler per route.</summary>
public static class FeaturesApi
{
    /// <summary>The response header that names the CRS of the coordinates (OGC API - Features Part 2).</summary>
    public const string ContentCrsHeader = "Content-Crs";

    public static IEndpointRouteBuilder MapFeaturesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("").WithTags("Features").CacheAs(CacheKind.Metadata);
        // HEAD as well as GET, as HTTP/1.1 and OGC API - Common expect; Kestrel drops the body of a HEAD.
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        api.MapMethods("/", read, Landing).WithName("landing");
        api.MapMethods("/conformance", read, ConformanceDeclaration).WithName("conformance");
        api.MapMethods("/api", read, ApiDefinition).WithName("api");
        api.MapMethods("/collections", read, Collections).WithName("collections");
        api.MapMethods("/collections/{collectionId}", read, Collection).WithName("collection");
        api.MapMethods("/collections/{collectionId}/queryables", read, QueryablesDocument).WithName("queryables");
        api.MapMethods("/collections/{collectionId}/items", read, Items).WithName("items").CacheAs(CacheKind.Features);
        api.MapMethods("/collections/{collectionId}/items/{featureId}", read, Feature).WithName("feature").CacheAs(CacheKind.Features);
        return endpoints;
    }

    private static FeaturesOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<MeridianOptions>().Features;

    private static GeospatialMetrics Metrics(HttpContext context) => context.RequestServices.GetRequiredService<GeospatialMetrics>();

    private static async Task Landing(HttpContext context)
    {
        var request = context.Request;
        var format = ContentNegotiation.Choose(request, MediaTypes.Json);
        RejectUnknownParameters(request);
        var options = Options(context);
        Link[] links =
        [
            .. Urls.SelfAndAlternate(request, format, MediaTypes.Json, "This document"),
            new(Urls.To(request, "/api", ("f", "json")), "service-desc", MediaTypes.OpenApi, "The API definition (OpenAPI 3.0)"),
            new(Urls.To(request, "/api", ("f", "html")), "service-doc", MediaTypes.Html, "The API documentation"),
            // Each link also under OGC API Common's URI relation, which the Processes and Tiles standards use.
            new(Urls.To(request, "/conformance", ("f", "json")), "conformance", MediaTypes.Json, "Conformance classes implemented"),
            new(Urls.To(request, "/conformance", ("f", "json")), "http://www.opengis.net/def/rel/ogc/1.0/conformance", MediaTypes.Json, "Conformance classes implemented"),
            new(Urls.To(request, "/collections", ("f", "json")), "data", MediaTypes.Json, "The feature collections"),
            new(Urls.To(request, "/collections", ("f", "json")), "http://www.opengis.net/def/rel/ogc/1.0/data", MediaTypes.Json, "The feature collections"),
            .. Contributions(context).SelectMany(c => c.LandingLinks).Select(l => new Link(Urls.To(request, l.Path), l.Rel, l.Type, l.Title)),
        ];
        if (format == OutputFormat.Html)
        {
            await HtmlResponse.WriteAsync(context, HtmlPages.Landing(options));
            return;
        }
        await context.Response.WriteAsJsonAsync(new { title = options.Title, description = options.Description, links }, context.RequestAborted);
    }

    /// <summary>What other modules of this process add to the landing page, the conformance classes and collections.</summary>
    internal static IEnumerable<ApiContribution> Contributions(HttpContext context) =>
        context.RequestServices.GetServices<ApiContribution>();

    private static async Task ConformanceDeclaration(HttpContext context)
    {
        var format = ContentNegotiation.Choose(context.Request, MediaTypes.Json);
        RejectUnknownParameters(context.Request);
        var classes = Conformance.Classes.Concat(Contributions(context).SelectMany(c => c.ConformanceClasses)).Distinct().ToList();
        if (format == OutputFormat.Html)
        {
            await HtmlResponse.WriteAsync(context, HtmlPages.Conformance(classes));
            return;
        }
        await context.Response.WriteAsJsonAsync(new { conformsTo = classes }, context.RequestAborted);
    }

    private static async Task ApiDefinition(HttpContext context, CollectionCatalog catalog)
    {
        var format = ContentNegotiation.Choose(context.Request, "application/vnd.oai.openapi+json");
        RejectUnknownParameters(context.Request);
        var collections = await catalog.ListAsync(context.RequestAborted);
        var document = OpenApiDocument.Build(context.Request, Options(context), collections, Contributions(context));
        if (format == OutputFormat.Html)
        {
            await HtmlResponse.WriteAsync(context, HtmlPages.Api(document));
            return;
        }
        context.Response.ContentType = MediaTypes.OpenApi;
        await context.Response.WriteAsync(document.ToJsonString(), context.RequestAborted);
    }

    private static async Task Collections(HttpContext context, CollectionCatalog catalog)
    {
        var request = context.Request;
        var format = ContentNegotiation.Choose(request, MediaTypes.Json);
        RejectUnknownParameters(request);
        var descriptions = new List<CollectionDescription>();
        foreach (var collection in await catalog.ListAsync(context.RequestAborted))
            descriptions.Add(await CollectionDescription.LoadAsync(collection, Metrics(context), context.RequestAborted));
        var links = Urls.SelfAndAlternate(request, format, MediaTypes.Json, "The collections").ToList();
        if (format == OutputFormat.Html)
        {
            await HtmlResponse.WriteAsync(context, HtmlPages.Collections(descriptions));
            return;
        }
        // Part 2: the CRS list every collection shares is given once, and collections refer to it as "#/crs".
        await context.Response.WriteAsJsonAsync(new
        {
            links,
            crs = CrsRegistry.Uris,
            collections = descriptions.Select(d => d.ToJson(request, crsInList: true)),
        }, context.RequestAborted);
    }

    private static async Task Collection(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var format = ContentNegotiation.Choose(context.Request, MediaTypes.Json);
        RejectUnknownParameters(context.Request);
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        var description = await CollectionDescription.LoadAsync(collection, Metrics(context), context.RequestAborted);
        if (format == OutputFormat.Html)
        {
            await HtmlResponse.WriteAsync(context, HtmlPages.Collection(description));
            return;
        }
        await context.Response.WriteAsJsonAsync(description.ToJson(context.Request), context.RequestAborted);
    }

    private static async Task QueryablesDocument(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var format = ContentNegotiation.Choose(context.Request, Queryables.MediaType);
        RejectUnknownParameters(context.Request);
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        if (format == OutputFormat.Html)
        {
            await HtmlResponse.WriteAsync(context, HtmlPages.Queryables(collection.Schema));
            return;
        }
        await context.Response.WriteAsJsonAsync(Queryables.Build(context.Request, collection.Schema), (System.Text.Json.JsonSerializerOptions?)null,
            Queryables.MediaType, context.RequestAborted);
    }

    private static async Task Items(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var request = context.Request;
        var format = ContentNegotiation.Choose(request, MediaTypes.GeoJson);
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        var options = Options(context);
        var query = ItemsQueryParser.Parse(request.Query, collection.Schema, options) with { CountMatches = options.NumberMatched };
        var metrics = Metrics(context);
        metrics.SpatialQuery(query.BoundingBoxes.Count > 0 ? "bbox" : "items");
        var timeStamp = DateTimeOffset.UtcNow;

        if (format == OutputFormat.Html)
        {
            // The page's map draws CRS84, whatever crs asks for.
            await using var rowsReader = await collection.QueryAsync(query with { OutputCrs = CrsRegistry.Crs84 }, context.RequestAborted);
            var (rows, info) = await ItemsPage.ReadRowsAsync(rowsReader, query, collection.Schema, context.RequestAborted);
            await HtmlResponse.WriteAsync(context, HtmlPages.Items(request, collection.Schema, rows, PageLinks(request, format, info), query.Properties));
            return;
        }

        // The query runs before the first byte is written, so that its errors still become problem responses.
        var reader = await collection.QueryAsync(query, context.RequestAborted);
        context.Response.ContentType = MediaTypes.GeoJson;
        context.Response.Headers[ContentCrsHeader] = query.OutputCrs.ContentCrsHeader;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        ResponseStreaming.Start(context);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteString("timeStamp", FeatureJson.FormatTime(timeStamp));
        writer.WriteStartArray("features");
        PageInfo page;
        long? matched;
        await using (reader)
        {
            page = await ItemsPage.WriteJsonAsync(reader, query, collection.Schema, writer,
                async () => await writer.FlushAsync(context.RequestAborted), context.RequestAborted);
            matched = await NumberMatchedAsync(reader, query, page, metrics, context.RequestAborted);
        }
        // A reader that could not count (it read nothing: no row can be on the page) leaves it to the collection, once the
        // reader is closed: holding two connections at once could exhaust a small pool.
        if (matched is null && query.CountMatches) matched = await collection.CountAsync(query.WithoutPaging(), context.RequestAborted);
        writer.WriteEndArray();
        writer.WriteNumber("numberReturned", page.Returned);
        if (matched is not null) writer.WriteNumber("numberMatched", matched.Value);
        FeatureJson.WriteLinks(writer, PageLinks(request, format, page));
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// A first page that is not full already tells the count; otherwise, if enabled, the page's reader counts in the
    /// page's snapshot (with the page, or by a count query after it), so that count and page agree while the
    /// collection is being replaced.
    /// </summary>
    private static async Task<long?> NumberMatchedAsync(IFeatureReader reader, FeatureQuery query, PageInfo page, GeospatialMetrics metrics,
        CancellationToken ct)
    {
        if (query.Cursor is null && !page.HasNext) return page.Returned;
        if (!query.CountMatches) return null;
        if (!query.CountsWithPage) metrics.SpatialQuery("count");
        return await reader.CountMatchedAsync(ct);
    }

    private static List<Link> PageLinks(HttpRequest request, OutputFormat format, PageInfo page)
    {
        var type = format == OutputFormat.Html ? MediaTypes.Html : MediaTypes.GeoJson;
        var f = format == OutputFormat.Html ? "html" : "json";
        var links = Urls.SelfAndAlternate(request, format, MediaTypes.GeoJson, "This page").ToList();
        // Urls.Current keeps every other parameter (filter, sortby, properties…), so the pages select alike.
        if (page.Next is { } next)
            links.Add(new Link(Urls.Current(request, (PageToken.Parameter, PageToken.Encode(next)), ("f", f)), "next", type, "Next page"));
        if (page.Previous is { } previous)
            links.Add(new Link(Urls.Current(request, (PageToken.Parameter, PageToken.Encode(previous)), ("f", f)), "prev", type, "Previous page"));
        var collectionPath = request.Path.Value![..request.Path.Value!.LastIndexOf("/items", StringComparison.Ordinal)];
        links.Add(new Link(Urls.To(request, collectionPath, ("f", "json")), "collection", MediaTypes.Json, "The collection"));
        return links;
    }

    private static async Task Feature(HttpContext context, string collectionId, string featureId, CollectionCatalog catalog)
    {
        var request = context.Request;
        var format = ContentNegotiation.Choose(request, MediaTypes.GeoJson);
        RejectUnknownParameters(request, CrsParameters.Crs);
        var crs = CrsParameters.Parse(request.Query, CrsParameters.Crs);
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        Metrics(context).SpatialQuery("item");
        // The page's map draws CRS84, whatever crs asks for.
        await using var reader = await collection.GetAsync(featureId, format == OutputFormat.Html ? CrsRegistry.Crs84 : crs, context.RequestAborted);
        if (!await reader.ReadAsync(context.RequestAborted))
            throw ProblemException.NotFound($"Collection '{collectionId}' has no feature '{featureId}'.");

        var collectionUrl = Urls.To(request, $"/collections/{Uri.EscapeDataString(collectionId)}", ("f", "json"));
        var links = Urls.SelfAndAlternate(request, format, MediaTypes.GeoJson, "This feature")
            .Append(new Link(collectionUrl, "collection", MediaTypes.Json, "The collection")).ToList();
        if (format == OutputFormat.Html)
        {
            var row = new FeatureRow(reader.Id, reader.ReadGeometry(),
                Enumerable.Range(0, collection.Schema.Properties.Count).Select(reader.GetValue).ToArray());
            await HtmlResponse.WriteAsync(context, HtmlPages.Feature(request, collection.Schema, row));
            return;
        }
        context.Response.ContentType = MediaTypes.GeoJson;
        context.Response.Headers[ContentCrsHeader] = crs.ContentCrsHeader;
        // The tag conditional writes (If-Match) compare with; see FeatureTag for what it covers.
        context.Response.Headers.ETag = Transactions.FeatureTag.Of(reader, collection.Schema);
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        FeatureJson.WriteFeature(writer, reader, collection.Schema, links);
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>Resources without filters take only <c>f</c> (and what they list); anything else is a mistake worth reporting.</summary>
    private static void RejectUnknownParameters(HttpRequest request, params string[] allowed)
    {
        foreach (var name in request.Query.Keys)
        {
            if (name != "f" && !allowed.Contains(name)) throw ProblemException.InvalidParameter(name, $"'{name}' is not a parameter of this resource.");
        }
    }
}
