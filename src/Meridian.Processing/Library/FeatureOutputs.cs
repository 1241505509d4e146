using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Problems;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Analysis;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Meridian.Storage.Schema;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Processing.Library;

/// <summary>
/// Where a process's features go, as its <c>output</c> input says: inline in the result (the default, for small
/// results), a new collection in the store collections are created in (loaded in one transaction, streaming), and/or
/// a GeoJSON or GeoPackage file in the object store's processed zone. A job's file is keyed by the job, so a rerun
/// replaces what an earlier attempt wrote.
/// </summary>
public sealed class FeatureOutputs(CollectionHome home, CollectionCatalog catalog, IObjectStore objects, ICollectionVersions versions)
{
    /// <summary>Inline results are held in memory; more features than this must go to a collection or a file.</summary>
    public const int MaxInlineFeatures = 10_000;

    /// <summary>Where an inline result starts: a small job's (100 buffered points, ~100 KB) fits without growing.</summary>
    private const int InlineBufferBytes = 128 * 1024;

    public static readonly ProcessInput Input = new("output", "Where the features go",
        "Omitted: inline in the result (up to 10,000 features). {\"collection\": ID, \"title\": T}: a new collection. "
        + "{\"format\": \"geojson\"|\"gpkg\"}: a file in the object store. Both members: both.",
        new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["collection"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z_][A-Za-z0-9_-]{0,62}$" },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["format"] = ProcessInput.TextSchema("geojson", "gpkg"),
            },
            ["additionalProperties"] = false,
        },
        Required: false);

    /// <summary>Reads the <c>output</c> input; call before doing the work, so that a bad target fails fast.</summary>
    public async Task<OutputTarget> ParseAsync(ProcessInputs inputs, CancellationToken cancellationToken)
    {
        var target = Read(inputs);
        // Ids are unique ignoring case and across tenants, as for POST /collections: another tenant's collection,
        // invisible to the caller, must not be appended to either.
        if (target.Collection is { } collection
            && (await catalog.ListAcrossTenantsAsync(cancellationToken)).Any(c => string.Equals(c.Schema.Id, collection, StringComparison.OrdinalIgnoreCase)))
            throw Invalid($"The collection '{collection}' exists; choose a new id for the output.");
        return target;
    }

    /// <summary>
    /// In the caller's request: the collection the target names becomes the caller's tenant's, unless it exists; then it
    /// must be one the caller sees (another tenant's is refused now; any existing one fails the run, which may be an
    /// asynchronous execution repeated with its Idempotency-Key: the same job, not a refusal).
    /// </summary>
    public async Task AdmitAsync(ProcessInputs inputs, CancellationToken cancellationToken)
    {
        if (Read(inputs).Collection is not { } collection) return;
        try
        {
            await catalog.RequireOrClaimAsync(collection, cancellationToken);
        }
        catch (ProblemException)
        {
            throw Invalid($"The collection '{collection}' exists; choose a new id for the output.");
        }
    }

    private static OutputTarget Read(ProcessInputs inputs)
    {
        if (inputs.Find(Input.Name) is not { } node) return OutputTarget.Inline;
        if (node is not JsonObject json || json.Count == 0 || json.Any(m => m.Key is not ("collection" or "title" or "format")))
            throw Invalid("'output' must be an object with 'collection' (and 'title') and/or 'format'.");
        var collection = Member(json, "collection");
        var format = Member(json, "format");
        var title = Member(json, "title");
        if (format is not (null or "geojson" or "gpkg")) throw Invalid("'output.format' must be geojson or gpkg.");
        if (collection is null && format is null) throw Invalid("'output' names no collection and no format.");
        if (collection is not null)
        {
            if (!CollectionIds.IsSafe(collection))
                throw Invalid("'output.collection' must start with a letter or '_' and hold only letters, digits, '_' and '-' (at most 63).");
            if (CollectionIds.IsReserved(collection))
                throw Invalid("'output.collection' must not start with 'gpkg_' or 'sqlite_': GeoPackage and SQLite keep those table names.");
        }
        return new OutputTarget(collection, title, format);
    }

    /// <summary>Writes the features where the target says and returns the output's value for the results document.</summary>
    public async Task<JsonNode> WriteAsync(OutputTarget target, string processId, FeatureSet features, ProcessExecution execution, CancellationToken cancellationToken)
    {
        if (target.IsInline) return await InlineAsync(features, cancellationToken);
        var result = new JsonObject();
        if (target.Collection is { } id)
        {
            var count = await home.Store.LoadAsync(SchemaFor(target, processId, features), Counted(features, execution.Progress), cancellationToken);
            await versions.BumpAsync(id, CancellationToken.None);
            AddCollection(result, id, count);
        }
        if (target.Format is { } format) await WriteFileAsync(result, format, features, execution, cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs a buffer and/or dissolve inside the database, when the features come from a collection of the store the
    /// output collection goes to and no file is asked for; null when it does not apply (the caller then runs it here).
    /// </summary>
    public async Task<JsonNode?> TryRunInStoreAsync(OutputTarget target, string processId, FeatureSet source, FeatureSet result,
        Func<CollectionSource, CollectionSchema, GeometrySqlOperation> operation, CancellationToken cancellationToken)
    {
        if (target.Collection is not { } id || target.Format is not null || source.Origin is not { } origin
            || home.Store is not IGeometrySql sql || !sql.Owns(origin.Collection))
            return null;
        var count = await sql.RunAsync(operation(origin, SchemaFor(target, processId, result)), cancellationToken);
        await versions.BumpAsync(id, CancellationToken.None);
        var value = new JsonObject();
        AddCollection(value, id, count);
        return value;
    }

    private static CollectionSchema SchemaFor(OutputTarget target, string processId, FeatureSet features) =>
        new(target.Collection ?? "result", target.Title ?? target.Collection ?? "result", $"Made by the process '{processId}'.",
            features.GeometryType, features.Srid, FeatureIdKind.Integer, features.Properties, null);

    private static void AddCollection(JsonObject result, string id, long count)
    {
        result["collection"] = id;
        result["href"] = "collections/" + Uri.EscapeDataString(id);
        result["features"] = count;
    }

    /// <summary>The FeatureCollection as the writer produced it: stored and served as these bytes, never parsed back.</summary>
    private static async Task<JsonNode> InlineAsync(FeatureSet features, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(InlineBufferBytes);
        await using (var writer = new Utf8JsonWriter(buffer))
            await GeoJsonFeatures.WriteAsync(writer, features with { Features = Limited(features.Features) }, null, cancellationToken);
        return RawJson.Node(buffer.WrittenMemory, GeoJsonFeatures.MediaType);
    }

    private static async IAsyncEnumerable<FeatureRecord> Limited(IAsyncEnumerable<FeatureRecord> features)
    {
        var count = 0;
        await foreach (var feature in features)
        {
            if (++count > MaxInlineFeatures)
                throw Invalid($"The result has more than {MaxInlineFeatures:N0} features: write it to a collection or a file with 'output'.");
            yield return feature;
        }
    }

    private async Task WriteFileAsync(JsonObject result, string format, FeatureSet features, ProcessExecution execution, CancellationToken cancellationToken)
    {
        var name = "result." + format;
        var key = execution.JobId is { } job
            ? ObjectKey.Parse($"{DataLakeZones.Processed}/jobs/{DataLakeZones.SafeFileName(job)}/{name}")
            : DataLakeZones.NewKey(DataLakeZones.Processed, DateTimeOffset.UtcNow, name);
        var counted = features with { Features = Counted(features, execution.Progress) };
        var count = format == "gpkg"
            ? await PutGeoPackageAsync(key, counted, cancellationToken)
            : await PutGeoJsonAsync(key, counted, cancellationToken);
        result["object"] = key.Value;
        result["format"] = format;
        result["mediaType"] = format == "gpkg" ? "application/geopackage+sqlite3" : GeoJsonFeatures.MediaType;
        result["features"] = count;
    }

    /// <summary>Streams the GeoJSON through a pipe into the object store: memory holds a few buffers, not the file.</summary>
    private async Task<long> PutGeoJsonAsync(ObjectKey key, FeatureSet features, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(async () =>
        {
            try
            {
                var count = await GeoJsonFeatures.WriteAsync(pipe.Writer.AsStream(leaveOpen: true), features, null, stop.Token);
                await pipe.Writer.CompleteAsync();
                return count;
            }
            catch (Exception e)
            {
                // The reader (the upload) fails with this exception too, so no partial object is ever stored.
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, CancellationToken.None);
        try
        {
            await objects.PutAsync(key, pipe.Reader.AsStream(), cancellationToken);
        }
        catch (Exception)
        {
            // The upload failed on its own (or passed on the writer's failure): stop the writer, which would
            // otherwise wait for a reader forever, and report the writer's own failure when it had one.
            await stop.CancelAsync();
            await pipe.Reader.CompleteAsync();
            try
            {
                await writing;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Stopped above: the upload's exception is the one to report.
            }
            throw;
        }
        return await writing;
    }

    /// <summary>Loads the features into a fresh GeoPackage with the embedded store's loader, then uploads the file.</summary>
    private async Task<long> PutGeoPackageAsync(ObjectKey key, FeatureSet features, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), "meridian-process-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new GeoPackageDirectoryStore(work, NullLogger.Instance);
            var schema = new CollectionSchema("result", "result", null, features.GeometryType, features.Srid, FeatureIdKind.Integer, features.Properties, null);
            var count = await store.LoadAsync(schema, features.Features, cancellationToken);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using (var file = File.OpenRead(Path.Combine(work, "result.gpkg")))
                await objects.PutAsync(key, file, cancellationToken);
            return count;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    private static async IAsyncEnumerable<FeatureRecord> Counted(FeatureSet features, IProgress<JobProgress> progress)
    {
        long count = 0;
        await foreach (var feature in features.Features)
        {
            if (++count % 10_000 == 0) progress.Report(new JobProgress($"{count:N0} features written", null, null));
            yield return feature;
        }
    }

    private static string? Member(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Invalid($"'output.{name}' must be a string."),
    };

    private static ProcessInputException Invalid(string message) => new("output", message);
}

/// <summary>Where a process's features go: a new collection and/or a file format, or neither (inline).</summary>
public sealed record OutputTarget(string? Collection, string? Title, string? Format)
{
    public static readonly OutputTarget Inline = new(null, null, null);

    public bool IsInline => Collection is null && Format is null;
}
