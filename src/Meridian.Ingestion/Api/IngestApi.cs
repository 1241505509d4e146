using System.Text.Json;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Http;
using Meridian.Hosting.Problems;
using Meridian.Ingestion.Jobs;
using Meridian.Processing.Api;
using Meridian.Processing.Jobs;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Meridian.Ingestion.Api;

/// <summary>
/// <c>POST /ingest</c>: a file (multipart upload, streamed into the object store's raw zone) or the key of an
/// object already there, loaded into a collection by an asynchronous job: 202 with the job's status and its URL.
/// </summary>
public static class IngestApi
{
    private const int MaxFieldBytes = 4096;

    private const string FilePart = "file";

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/ingest", Ingest).WithTags("Ingestion").WithName("ingest");
        endpoints.MapUploadsApi();
        return endpoints;
    }

    private static async Task<IResult> Ingest(HttpContext context, IObjectStore objects, JobQueue jobs, IngestLimits limits)
    {
        IngestAccess.Require(context);
        var request = context.Request;
        // Before the upload is read and kept: a refused key must not leave an object behind.
        var key = IdempotencyKey.Read(request);
        IngestJobInputs inputs;
        if (request.HasJsonContentType()) inputs = await ReadJsonAsync(request);
        else if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = limits.MaxUploadBytes;
            inputs = await ReadMultipartAsync(request, HeaderUtilities.RemoveQuotes(type.Boundary).Value, objects);
        }
        else
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.InvalidParameter, "Unsupported media type",
                "Send the file as multipart/form-data (a 'file' part plus 'collection' and options), or JSON naming an uploaded object.");
        }

        var uploaded = !request.HasJsonContentType();
        await RequireTenancyAsync(context, inputs, uploaded, objects);

        var caller = context.RequestServices.GetService<CollectionCatalog>()?.CurrentCaller();
        var (job, created) = await jobs.SubmitAsync(
            TenantCaller.Submits(caller, IngestJobHandler.JobType, JsonSerializer.Serialize(inputs, IngestJobInputs.Json), key), context.RequestAborted);
        if (!created) await RepeatedAsync(job, inputs, uploaded, objects);
        var location = JobStatusDocument.JobUrl(request, job.Id);
        context.Response.Headers.Location = location;
        return Results.Json(JobStatusDocument.Create(job, request), statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A request repeated with its Idempotency-Key gets the job the first one started, which reads the first one's
    /// upload: this one's is removed. The same key with another request (other options, or a key another kind of job
    /// holds) is a 422, as the Idempotency-Key draft says; a repeated upload is the same request with a new object.
    /// </summary>
    private static async Task RepeatedAsync(JobRecord job, IngestJobInputs inputs, bool uploaded, IObjectStore objects)
    {
        if (uploaded) await objects.DeleteAsync(ObjectKey.Parse(inputs.Object), CancellationToken.None);
        var earlier = job.Type == IngestJobHandler.JobType ? JsonSerializer.Deserialize<IngestJobInputs>(job.Inputs, IngestJobInputs.Json) : null;
        if (earlier is null || earlier with { Object = uploaded ? inputs.Object : earlier.Object } != inputs)
        {
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidParameter, "Idempotency-Key reused",
                $"The Idempotency-Key was first sent with another request (job {job.Id}): send a new key for a new request.");
        }
    }

    /// <summary>Another tenant's collection cannot be loaded into (a 404, and the file just uploaded is removed); a new one becomes the caller's.</summary>
    private static async Task RequireTenancyAsync(HttpContext context, IngestJobInputs inputs, bool uploaded, IObjectStore objects)
    {
        if (context.RequestServices.GetService<CollectionCatalog>() is not { } catalog) return;
        try
        {
            await catalog.RequireOrClaimAsync(inputs.Collection, context.RequestAborted);
        }
        catch (ProblemException)
        {
            if (uploaded) await objects.DeleteAsync(ObjectKey.Parse(inputs.Object), CancellationToken.None);
            throw;
        }
    }

    private static async Task<IngestJobInputs> ReadJsonAsync(HttpRequest request)
    {
        IngestJobInputs? inputs;
        try
        {
            inputs = await JsonSerializer.DeserializeAsync<IngestJobInputs>(request.Body, IngestJobInputs.Json, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            throw Invalid($"The body is not a valid ingest request: {e.Message}");
        }
        if (inputs is null) throw Invalid("The body is empty; send {\"object\": KEY, \"collection\": NAME}.");
        var problems = inputs.Problems();
        if (problems.Count > 0) throw Invalid(string.Join(" ", problems));
        return inputs;
    }

    /// <summary>
    /// Streams the 'file' part into the raw zone as it arrives (never buffering the whole file), collecting the
    /// small form fields around it. A request that turns out invalid removes what it stored.
    /// </summary>
    private static async Task<IngestJobInputs> ReadMultipartAsync(HttpRequest request, string? boundary, IObjectStore objects)
    {
        if (string.IsNullOrEmpty(boundary)) throw Invalid("The multipart body has no boundary.");
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ObjectKey? stored = null;
        try
        {
            while (await MultipartFraming.ReadAsync(() => reader.ReadNextSectionAsync(request.HttpContext.RequestAborted)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } name)
                    throw Invalid("Every multipart part needs a Content-Disposition with a name.");
                name = HeaderUtilities.RemoveQuotes(name).Value!;
                // The 'file' part is the file even without a file name (a browser sends filename="" for a nameless one).
                if (disposition.IsFileDisposition() || name == FilePart)
                {
                    if (stored is not null) throw Invalid("Send one file per ingest request.");
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload";
                    stored = DataLakeZones.NewKey(DataLakeZones.Raw, DateTimeOffset.UtcNow, fileName);
                    await objects.PutAsync(stored.Value, MultipartFraming.Body(section.Body), request.HttpContext.RequestAborted);
                }
                else
                {
                    // Which of two values would win is no one's guess to make: the request is ambiguous.
                    if (fields.ContainsKey(name)) throw Invalid($"The form field '{name}' is given more than once.");
                    fields[name] = await MultipartFraming.ReadAsync(() => ReadFieldAsync(section, name));
                }
            }
            if (stored is null) throw Invalid("The request has no file part.");
            return ToInputs(stored.Value, fields);
        }
        catch
        {
            if (stored is { } orphan) await objects.DeleteAsync(orphan, CancellationToken.None);
            throw;
        }
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length > MaxFieldBytes) throw Invalid($"The form field '{name}' is longer than {MaxFieldBytes} bytes.");
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static IngestJobInputs ToInputs(ObjectKey stored, Dictionary<string, string> fields)
    {
        // The form fields are the JSON request's members, so both forms go through one binding and one check.
        var json = new System.Text.Json.Nodes.JsonObject { ["object"] = stored.Value };
        foreach (var (name, value) in fields)
        {
            json[name] = name is "crs" && int.TryParse(value.Replace("EPSG:", "", StringComparison.OrdinalIgnoreCase), out var code) ? code : value;
        }
        IngestJobInputs? inputs;
        try
        {
            inputs = json.Deserialize<IngestJobInputs>(IngestJobInputs.Json);
        }
        catch (JsonException e)
        {
            throw Invalid($"A form field is not valid: {e.Message}");
        }
        var problems = inputs!.Problems();
        if (problems.Count > 0) throw Invalid(string.Join(" ", problems));
        return inputs;
    }

    private static ProblemException Invalid(string detail) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid ingest request", detail);
}
