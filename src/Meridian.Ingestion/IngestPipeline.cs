using System.Runtime.CompilerServices;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Streaming;
using Meridian.Ingestion.Validation;
using Meridian.Storage;
using Meridian.Storage.Schema;

namespace Meridian.Ingestion;

/// <summary>
/// Ingests one layer of a file into a collection in two streaming passes: the first reads and validates every
/// record of the file, infers the schema from the accepted ones and spools them to a temporary file
/// (<see cref="RecordSpool"/>); the second loads the spooled records in the store's single transaction (appending,
/// or through a staging table swapped in for the collection's when replacing). A store that can take records while
/// the file is read (PostGIS) loads them during the first pass instead (<see cref="StreamedLoad"/>): the spool then
/// takes only the records the streamed load does not (those before it begins), and in the rare case of a schema
/// change that load cannot follow, the file is read a second time to spool them all. Otherwise the file is parsed
/// once; memory stays flat whatever its size. Bad records are rejected and listed; a file that cannot
/// be read, or that has nothing to load, fails as a whole with nothing written.
/// </summary>
public static class IngestPipeline
{
    private const int ProgressInterval = 10_000;

    // Parsing runs this many features ahead of validation (first pass) and of the load (second): enough to
    // smooth out their pace, few enough that large geometries in flight do not weigh on memory.
    private const int ReadAheadFeatures = 64;

    public static async Task<IngestReport> RunAsync(string path, IngestRequest request, IWritableFeatureStore store,
        IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var format = FeatureFormats.Detect(path);
        await using var file = await format.OpenAsync(path, request.Source, cancellationToken);
        var warnings = new List<string>();
        // The content decides the format; a name that says otherwise is worth telling (a renamed or mislabelled file).
        if (FeatureFormats.NamedFormat(Path.GetFileName(path)) is { } named && named != format.Name)
            warnings.Add($"the file is named as {named} but holds {format.Name}: it was read as {format.Name}");
        var layer = ChooseLayer(file, request.Layer, warnings);
        var crs = request.Crs ?? layer.Crs;
        if (crs is null && format.Name is not ("geojson" or "geojsonseq" or "gpx" or "kml"))
            warnings.Add($"the {format.Name} file declares no CRS: its coordinates were read as longitude/latitude (pass a CRS if they are not)");
        var projection = SourceProjection.For(crs);
        // Whether the collection may be created is the store's to say (for PostGIS, the ingest's first connection and
        // a catalog query): that runs while the first records are read and validated. The load waits for it before
        // it begins, and its failure is the one reported, whatever else fails meanwhile.
        var modeChecked = Task.Run(() => CheckModeAsync(store, request, cancellationToken), cancellationToken);

        var report = new IngestReport
        {
            Format = format.Name, Layer = layer.Name, Collection = request.Collection, SourceCrs = crs?.ToString() ?? "CRS84",
        };
        report.Warnings.AddRange(warnings);
        var preparation = new RecordPreparation(projection, new GeometryValidator(request.Validation));

        var inference = new SchemaInference();
        // The accepted records, ready to load: the load reads them from here instead of parsing the file again,
        // unless the store took them while the file was read (streamed) and kept up with the inference.
        var spool = new RecordSpool(request.SpoolDirectory);
        try
        {
            await using var streamed = StreamedLoad.For(store, inference, request, modeChecked);
            bool spooledAll;
            try
            {
                spooledAll = await ReadAsync(layer, preparation, inference, spool, streamed, report, progress, cancellationToken);
            }
            catch (Exception) when (!modeChecked.IsCompletedSuccessfully)
            {
                await modeChecked;
                throw;
            }
            await modeChecked;
            if (inference.Features == 0)
            {
                var why = report.Read == 0 ? "the layer holds no features" : $"none of its {report.Read:N0} records is loadable (record {report.Rejections[0].Record}: {report.Rejections[0].Reason})";
                throw new IngestException(why);
            }
            if (inference.FirstWithoutHeights is { } flat)
                report.Warnings.Add($"the layer has heights, but record {flat} (and perhaps others) has positions without one: they were given a height of 0");

            if (streamed is not null && await streamed.CompleteAsync(cancellationToken) is { } streamedCount)
            {
                report.Staged = report.Loaded = streamedCount;
            }
            else
            {
                if (!spooledAll)
                {
                    await spool.DisposeAsync();
                    spool = await SpoolAgainAsync(format, path, request, preparation, cancellationToken);
                }
                var schema = inference.ToSchema(request.Collection);
                var records = LoadableRecords(spool, new FeatureConversion.Fitting(schema, inference.SourceNames, fillHeights: request.Mode != IngestMode.Append),
                    report, progress, cancellationToken);
                // Creating checks again in the load's own transaction: another ingest may have created the collection
                // since the check made while the file was read.
                report.Staged = report.Loaded = request.Mode switch
                {
                    IngestMode.Replace => await store.ReplaceAsync(schema, records, cancellationToken),
                    IngestMode.Create => await store.LoadNewAsync(schema, records, cancellationToken),
                    _ => await store.LoadAsync(schema, records, cancellationToken),
                };
            }
            progress?.Report(report.Progress);
            return report;
        }
        finally
        {
            // The spool in use: the first pass's, or the one written again.
            await spool.DisposeAsync();
        }
    }

    /// <summary>
    /// The first pass: reads and validates every record, and streams the accepted ones to the store when it can. A
    /// record goes to the spool unless the streamed load is taking it: the spool is only read when that load is
    /// abandoned, which is mostly before it begins (appending to an existing table), so writing every record twice
    /// would be wasted work. Returns false when records were left out of the spool (the load was abandoned after it
    /// began): the spool is then written again from the file.
    /// </summary>
    private static async Task<bool> ReadAsync(SourceLayer layer, RecordPreparation preparation, SchemaInference inference, RecordSpool spool,
        StreamedLoad? streamed, IngestReport report, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var spooledAll = true;
        await foreach (var feature in layer.ReadAsync(cancellationToken).WithReadAhead(ReadAheadFeatures, cancellationToken))
        {
            report.Read++;
            var prepared = preparation.Prepare(feature, out var rejection, out var repaired);
            if (prepared is null)
            {
                report.Rejections.Add(new RejectedRecord(feature.Record, rejection!));
            }
            else
            {
                inference.Observe(prepared);
                if (streamed is { Streaming: true }) spooledAll = false;
                else spool.Add(prepared);
                if (streamed is not null) await streamed.AddAsync(prepared, cancellationToken);
                if (repaired) report.Repaired++;
            }
            if (report.Read % ProgressInterval == 0)
            {
                // Written into the streamed load's transaction, not yet committed; none without one (spooled for the second pass).
                report.Staged = streamed?.Count ?? 0;
                progress?.Report(report.Progress);
            }
        }
        progress?.Report(report.Progress);
        return spooledAll;
    }

    /// <summary>
    /// A spool of the file's accepted records, read and validated again (the same records as the first pass: the
    /// preparation is deterministic), for a streamed load abandoned after it had taken records that were not spooled.
    /// </summary>
    private static async Task<RecordSpool> SpoolAgainAsync(IFeatureFormat format, string path, IngestRequest request, RecordPreparation preparation,
        CancellationToken cancellationToken)
    {
        var spool = new RecordSpool(request.SpoolDirectory);
        try
        {
            await using var file = await format.OpenAsync(path, request.Source, cancellationToken);
            var layer = ChooseLayer(file, request.Layer, []);
            await foreach (var feature in layer.ReadAsync(cancellationToken).WithReadAhead(ReadAheadFeatures, cancellationToken))
            {
                if (preparation.Prepare(feature, out _, out _) is { } prepared) spool.Add(prepared);
            }
            return spool;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    private static SourceLayer ChooseLayer(SourceFile file, string? name, List<string> warnings)
    {
        if (name is not null)
        {
            return file.Layers.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.Ordinal))
                ?? file.Layers.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new IngestException($"the file has no layer '{name}' (it has: {LayerNames(file)}).");
        }
        if (file.Layers.Count == 0) throw new IngestException("the file has no feature layer.");
        if (file.Layers.Count > 1)
            throw new IngestException($"the file has {file.Layers.Count} layers ({LayerNames(file)}): choose one.");
        return file.Layers[0];
    }

    private static string LayerNames(SourceFile file) => string.Join(", ", file.Layers.Select(l => l.Name));

    private static async Task CheckModeAsync(IWritableFeatureStore store, IngestRequest request, CancellationToken cancellationToken)
    {
        if (request.Mode != IngestMode.Create) return;
        if (await store.HasCollectionAsync(request.Collection, cancellationToken))
            throw new IngestException($"the collection '{request.Collection}' already exists: append to it, or choose another name.");
    }

    // The load reads back what the first pass accepted, fitted to the schema inferred from all of it.
    private static async IAsyncEnumerable<FeatureRecord> LoadableRecords(RecordSpool spool, FeatureConversion.Fitting fitting,
        IngestReport report, IProgress<IngestProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long yielded = 0;
        await foreach (var prepared in spool.ReadAsync(cancellationToken).WithReadAhead(ReadAheadFeatures, cancellationToken))
        {
            yield return fitting.ToRecord(prepared);
            if (++yielded % ProgressInterval == 0)
            {
                report.Staged = yielded;
                progress?.Report(report.Progress);
            }
        }
    }
}
