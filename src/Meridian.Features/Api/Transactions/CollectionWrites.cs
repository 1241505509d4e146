using Meridian.Hosting.Catalog;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Hosting.Telemetry;
using Meridian.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Features.Api.Transactions;

/// <summary><c>POST /collections</c> and <c>DELETE /collections/{collectionId}</c>.</summary>
internal static class CollectionWrites
{
    public static async Task CreateAsync(HttpContext context, CollectionCatalog catalog, CollectionHome home)
    {
        context.RequestServices.GetRequiredService<WriteAccess>().Require(context);
        using var body = await JsonRequestBody.ReadAsync(context, TransactionsApi.Options(context).MaxWriteBytes, TransactionsApi.MaxWriteBytesSetting, MediaTypes.Json);
        var schema = CollectionInput.Read(body.RootElement);
        // Ids are unique across every store of the process, ignoring case (GeoPackage table names do), and
        // whichever tenant owns the existing one.
        if ((await catalog.ListAcrossTenantsAsync(context.RequestAborted)).Any(c => string.Equals(c.Schema.Id, schema.Id, StringComparison.OrdinalIgnoreCase)))
            throw new ProblemException(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", $"Collection '{schema.Id}' exists.");
        await TransactionsApi.StoreCall(async () =>
        {
            await home.Store.CreateCollectionAsync(schema, context.RequestAborted);
            return true;
        });
        await catalog.ClaimAsync(schema.Id, context.RequestAborted);
        await TransactionsApi.CommittedAsync(context, schema.Id);

        var collection = await catalog.GetAsync(schema.Id, context.RequestAborted);
        var description = await CollectionDescription.LoadAsync(collection, context.RequestServices.GetRequiredService<GeospatialMetrics>(), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = Urls.To(context.Request, $"/collections/{Uri.EscapeDataString(schema.Id)}");
        await context.Response.WriteAsJsonAsync(description.ToJson(context.Request), context.RequestAborted);
    }

    public static async Task DeleteAsync(HttpContext context, string collectionId, CollectionCatalog catalog)
    {
        context.RequestServices.GetRequiredService<WriteAccess>().Require(context);
        await catalog.GetAsync(collectionId, context.RequestAborted); // another tenant's collection is not there for this caller
        // The store that serves the id: the first that has it, as the catalog resolves ids.
        foreach (var store in catalog.Stores)
        {
            if (!(await store.GetCollectionsAsync(context.RequestAborted)).Any(c => c.Schema.Id == collectionId)) continue;
            if (store is not IWritableFeatureStore writable)
                throw new ProblemException(StatusCodes.Status405MethodNotAllowed, ProblemTypes.MethodNotAllowed, "Read-only store",
                    $"Collection '{collectionId}' belongs to a store that cannot delete collections.");
            if (!await TransactionsApi.StoreCall(() => writable.DeleteCollectionAsync(collectionId, context.RequestAborted))) break;
            await TransactionsApi.CommittedAsync(context, collectionId);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        throw ProblemException.NotFound($"There is no collection '{collectionId}'.");
    }
}
