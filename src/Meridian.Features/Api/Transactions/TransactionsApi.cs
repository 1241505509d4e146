using Meridian.Hosting.Catalog;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Hosting.Telemetry;
using Meridian.Storage;
using Meridian.Storage.Writing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// OGC API - Features Part 4 (create, replace, update, delete) and collection management. Every route needs the
/// write credential (<see cref="WriteAccess"/>); every change is one store transaction, after whose commit the
/// collection's version is bumped so that caches drop what they hold of it.
/// </summary>
public static class TransactionsApi
{
    public const string MergePatch = "application/merge-patch+json";

    public const string MaxWriteBytesSetting = "Meridian:Features:MaxWriteBytes";

    public static IEndpointRouteBuilder MapTransactionsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("").WithTags("Transactions");
        api.MapPost("/collections/{collectionId}/items", CreateFeature).WithName("createFeature");
        api.MapPut("/collections/{collectionId}/items/{featureId}", ReplaceFeature).WithName("replaceFeature");
        api.MapPatch("/collections/{collectionId}/items/{featureId}", UpdateFeature).WithName("updateFeature");
        api.MapDelete("/collections/{collectionId}/items/{featureId}", DeleteFeature).WithName("deleteFeature");
        api.MapPost("/collections", CollectionWrites.CreateAsync).WithName("createCollection");
        api.MapDelete("/collections/{collectionId}", CollectionWrites.DeleteAsync).WithName("deleteCollection");
        api.MapMethods("/collections/{collectionId}/schema", [HttpMethods.Get, HttpMethods.Head], Schema).WithName("schema");
        string[] options = [HttpMethods.Options];
        api.MapMethods("/collections", options, ResourceOptions.Collections).WithName("collectionsOptions");
        api.MapMethods("/collections/{collectionId}", options, ResourceOptions.CollectionAsync).WithName("collectionOptions");
        api.MapMethods("/collections/{collectionId}/items", options, ResourceOptions.ItemsAsync).WithName("itemsOptions");
        api.MapMethods("/collections/{collectionId}/items/{featureId}", options, ResourceOptions.FeatureAsync).WithName("featureOptions");
        return endpoints;
    }

    /// <summary>The link every collection gets to <see cref="Schema"/> (OGC API - Features Part 5's relation).</summary>
    public static readonly Hosting.Modules.ApiContribution Contribution = new()
    {
        CollectionLinks =
        [
            new Hosting.Modules.ApiLink($"/collections/{Hosting.Modules.ApiContribution.CollectionIdToken}/schema",
                "http://www.opengis.net/def/rel/ogc/1.0/schema", SchemaMediaType, "What a feature of the collection is (JSON Schema)"),
        ],
    };

    public const string SchemaMediaType = "application/schema+json";

    /// <summary>What the collection's features are, and so what a create or replace must send: a JSON Schema of the GeoJSON Feature.</summary>
    private static async Task Schema(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        foreach (var name in context.Request.Query.Keys)
            throw ProblemException.InvalidParameter(name, $"'{name}' is not a parameter of this resource.");
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        context.Response.ContentType = SchemaMediaType;
        var uri = Urls.To(context.Request, $"/collections/{Uri.EscapeDataString(collectionId)}/schema");
        await context.Response.WriteAsync(FeatureSchema.Build(collection.Schema, openApi: false, uri).ToJsonString(), context.RequestAborted);
    }

    internal static FeaturesOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<MeridianOptions>().Features;

    /// <summary>Checks the credential, then finds the collection; read-only ones (database views) are 405s.</summary>
    private static async Task<IWritableFeatureCollection> WritableAsync(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        context.RequestServices.GetRequiredService<WriteAccess>().Require(context);
        var collection = await catalog.GetAsync(collectionId, context.RequestAborted);
        if (collection is IWritableFeatureCollection writable) return writable;
        var problem = new ProblemException(StatusCodes.Status405MethodNotAllowed, ProblemTypes.MethodNotAllowed, "Read-only collection",
            $"Collection '{collectionId}' cannot be written (it is a database view).");
        problem.Headers[HeaderNames.Allow] = "GET, HEAD";
        throw problem;
    }

    private static async Task CreateFeature(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        var collection = await WritableAsync(context, collectionId, catalog);
        using var body = await JsonRequestBody.ReadAsync(context, Options(context).MaxWriteBytes, MaxWriteBytesSetting, MediaTypes.GeoJson, MediaTypes.Json);
        var feature = new FeatureInput(collection.Schema, CrsParameters.ParseContentCrs(context.Request)).ReadFeature(body.RootElement);
        string? tag = null;
        var hooks = new WriteHooks { Written = reader => tag = FeatureTag.Of(reader, collection.Schema) };
        var id = await StoreCall(() => collection.InsertAsync(feature, hooks, context.RequestAborted));
        await CommittedAsync(context, collectionId);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = Urls.To(context.Request, $"/collections/{Uri.EscapeDataString(collectionId)}/items/{Uri.EscapeDataString(id)}");
        context.Response.Headers.ETag = tag;
    }

    private static async Task ReplaceFeature(HttpContext context, string collectionId, string featureId, CollectionCatalog catalog)
    {
        var collection = await WritableAsync(context, collectionId, catalog);
        var conditions = new Conditions(context, collection);
        using var body = await JsonRequestBody.ReadAsync(context, Options(context).MaxWriteBytes, MaxWriteBytesSetting, MediaTypes.GeoJson, MediaTypes.Json);
        var feature = new FeatureInput(collection.Schema, CrsParameters.ParseContentCrs(context.Request)).ReadFeature(body.RootElement);
        var outcome = await StoreCall(() => collection.ReplaceAsync(featureId, feature, conditions.Hooks, context.RequestAborted));
        await conditions.RespondAsync(outcome, featureId);
    }

    private static async Task UpdateFeature(HttpContext context, string collectionId, string featureId, CollectionCatalog catalog)
    {
        var collection = await WritableAsync(context, collectionId, catalog);
        var conditions = new Conditions(context, collection);
        using var body = await JsonRequestBody.ReadAsync(context, Options(context).MaxWriteBytes, MaxWriteBytesSetting, MergePatch, MediaTypes.Json, MediaTypes.GeoJson);
        var patch = new FeatureInput(collection.Schema, CrsParameters.ParseContentCrs(context.Request)).ReadPatch(body.RootElement);
        var outcome = await StoreCall(() => collection.UpdateAsync(featureId, patch, conditions.Hooks, context.RequestAborted));
        await conditions.RespondAsync(outcome, featureId);
    }

    private static async Task DeleteFeature(HttpContext context, string collectionId, string featureId, CollectionCatalog catalog)
    {
        var collection = await WritableAsync(context, collectionId, catalog);
        var conditions = new Conditions(context, collection);
        var outcome = await StoreCall(() => collection.DeleteAsync(featureId, conditions.Hooks, context.RequestAborted));
        await conditions.RespondAsync(outcome, featureId);
    }

    /// <summary>Bumps the collection's version once its change is committed, even if the client has gone meanwhile.</summary>
    internal static async Task CommittedAsync(HttpContext context, string collectionId)
    {
        context.RequestServices.GetRequiredService<GeospatialMetrics>().SpatialQuery("write");
        await context.RequestServices.GetRequiredService<ICollectionVersions>().BumpAsync(collectionId, CancellationToken.None);
    }

    /// <summary>Runs a store write, turning what the store refuses into 409 (its state) or 400 (a value its columns refuse).</summary>
    internal static async Task<T> StoreCall<T>(Func<Task<T>> write)
    {
        try
        {
            return await write();
        }
        catch (StoreConflictException e)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", e.Message);
        }
        catch (InvalidFeatureException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidFeature, "Invalid feature", e.Message);
        }
    }

    /// <summary>
    /// If-Match for one write: evaluated by the store on the locked feature, so no other write can slip in between
    /// the comparison and the change. <c>Features:RequireIfMatch</c> makes the header mandatory (428).
    /// </summary>
    private sealed class Conditions
    {
        private readonly HttpContext _context;
        private readonly string _collectionId;
        private readonly string? _ifMatch;
        private string? _current;
        private string? _written;

        public Conditions(HttpContext context, IWritableFeatureCollection collection)
        {
            _context = context;
            _collectionId = collection.Schema.Id;
            var ifMatch = context.Request.Headers.IfMatch.ToString();
            _ifMatch = string.IsNullOrWhiteSpace(ifMatch) ? null : ifMatch;
            if (_ifMatch is null && Options(context).RequireIfMatch)
            {
                throw new ProblemException(StatusCodes.Status428PreconditionRequired, ProblemTypes.PreconditionRequired, "Precondition required",
                    "This server requires If-Match on replace, update and delete: GET the feature and send its ETag.");
            }
            var schema = collection.Schema;
            Hooks = new WriteHooks
            {
                Precondition = _ifMatch is null ? null : reader => EntityTag.IfMatch(_ifMatch, _current = FeatureTag.Of(reader, schema)),
                Written = reader => _written = FeatureTag.Of(reader, schema),
            };
        }

        public WriteHooks Hooks { get; }

        public async Task RespondAsync(WriteOutcome outcome, string featureId)
        {
            switch (outcome)
            {
                // With If-Match, a feature that does not exist fails the precondition (RFC 9110 §13.1.1).
                case WriteOutcome.NotFound when _ifMatch is null:
                    throw ProblemException.NotFound($"Collection '{_collectionId}' has no feature '{featureId}'.");
                case WriteOutcome.NotFound or WriteOutcome.PreconditionFailed:
                    var problem = new ProblemException(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "Precondition failed",
                        _current is null
                            ? $"Collection '{_collectionId}' has no feature '{featureId}' for If-Match to match."
                            : $"Feature '{featureId}' has changed since it was read: its ETag is now {_current}.");
                    if (_current is not null) problem.Headers[HeaderNames.ETag] = _current;
                    // Written, not thrown: the exception middleware would strip the ETag the client needs.
                    await ProblemResponse.WriteAsync(_context, problem);
                    return;
            }
            await CommittedAsync(_context, _collectionId);
            _context.Response.StatusCode = StatusCodes.Status204NoContent;
            if (_written is not null) _context.Response.Headers.ETag = _written;
        }
    }
}
