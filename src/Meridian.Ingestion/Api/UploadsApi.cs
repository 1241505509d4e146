using System.Text.Json.Nodes;
using Meridian.Hosting.Problems;
using Meridian.Storage.Objects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Ingestion.Api;

/// <summary>
/// Uploads in parts for files too large for one request or sent over flaky links: start an upload, PUT its
/// parts in any order (retrying any that failed), see which arrived, complete it, then ingest the object.
/// The parts live in the object store, so an upload survives a restart and any replica can take any part.
/// </summary>
internal static class UploadsApi
{
    public static void MapUploadsApi(this IEndpointRouteBuilder endpoints)
    {
        var uploads = endpoints.MapGroup("/uploads").WithTags("Ingestion");
        uploads.MapPost("", Start).WithName("start-upload");
        uploads.MapGet("/{uploadId}", Parts).WithName("upload");
        uploads.MapPut("/{uploadId}/parts/{partNumber:int}", PutPart).WithName("upload-part");
        uploads.MapPost("/{uploadId}/complete", Complete).WithName("complete-upload");
        uploads.MapDelete("/{uploadId}", Abort).WithName("abort-upload");
    }

    private static async Task<IResult> Start(HttpContext context, IObjectStore objects, string? name)
    {
        IngestAccess.Require(context);
        if (string.IsNullOrWhiteSpace(name)) throw ProblemException.InvalidParameter("name", "Give the file's name (?name=places.gpkg): it tells the format.");
        var key = DataLakeZones.NewKey(DataLakeZones.Raw, DateTimeOffset.UtcNow, name);
        var uploadId = await new ObjectUploads(objects).StartAsync(key, context.RequestAborted);
        return Results.Json(Describe(context.Request, uploadId, key, []), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> Parts(HttpContext context, IObjectStore objects, string uploadId)
    {
        IngestAccess.Require(context);
        var uploads = new ObjectUploads(objects);
        var key = await TargetAsync(uploads, uploadId, context);
        return Results.Json(Describe(context.Request, uploadId, key, await uploads.ListPartsAsync(key, uploadId, context.RequestAborted)));
    }

    private static async Task<IResult> PutPart(HttpContext context, IObjectStore objects, IngestLimits limits, string uploadId, int partNumber)
    {
        IngestAccess.Require(context);
        if (partNumber is < 1 or > ObjectUploads.MaxParts)
            throw ProblemException.InvalidParameter("partNumber", $"A part number runs from 1 to {ObjectUploads.MaxParts}.");
        // A part sent as text, JSON or without a Content-Type has had its start read by the WAF already; its limit is
        // then fixed (Kestrel's, or Gateway:MaxRequestBodyBytes), and setting it would throw.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = limits.MaxUploadBytes;
        var uploads = new ObjectUploads(objects);
        var key = await TargetAsync(uploads, uploadId, context);
        var part = await uploads.UploadPartAsync(key, uploadId, partNumber, context.Request.Body, context.RequestAborted);
        return Results.Json(new JsonObject { ["partNumber"] = part.PartNumber, ["size"] = part.Size });
    }

    private static async Task<IResult> Complete(HttpContext context, IObjectStore objects, string uploadId)
    {
        IngestAccess.Require(context);
        var uploads = new ObjectUploads(objects);
        var key = await TargetAsync(uploads, uploadId, context);
        try
        {
            var info = await uploads.CompleteAsync(key, uploadId, context.RequestAborted);
            return Results.Json(new JsonObject { ["object"] = info.Key.Value, ["size"] = info.Size });
        }
        catch (ArgumentException e)
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "The upload cannot be completed", e.Message);
        }
    }

    private static async Task<IResult> Abort(HttpContext context, IObjectStore objects, string uploadId)
    {
        IngestAccess.Require(context);
        var uploads = new ObjectUploads(objects);
        await uploads.AbortAsync(await TargetAsync(uploads, uploadId, context), uploadId, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<ObjectKey> TargetAsync(ObjectUploads uploads, string uploadId, HttpContext context) =>
        await uploads.FindTargetAsync(uploadId, context.RequestAborted)
        ?? throw ProblemException.NotFound($"There is no upload '{uploadId}' (completed and aborted uploads are gone).");

    private static JsonObject Describe(HttpRequest request, string uploadId, ObjectKey key, IReadOnlyList<UploadedPart> parts)
    {
        var self = $"{Hosting.Http.RequestUrls.Base(request)}/uploads/{uploadId}";
        return new JsonObject
        {
            ["uploadId"] = uploadId,
            ["object"] = key.Value,
            ["minimumPartSize"] = ObjectUploads.MinimumPartSize,
            ["parts"] = new JsonArray(parts.Select(p => (JsonNode)new JsonObject { ["partNumber"] = p.PartNumber, ["size"] = p.Size }).ToArray()),
            ["links"] = new JsonArray(
                new JsonObject { ["href"] = self, ["rel"] = "self", ["type"] = "application/json" },
                new JsonObject { ["href"] = self + "/parts/{partNumber}", ["rel"] = "upload-part", ["templated"] = true },
                new JsonObject { ["href"] = self + "/complete", ["rel"] = "complete" }),
        };
    }
}
