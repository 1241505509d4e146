using Meridian.Ingestion.Formats;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Writing;

namespace Meridian.Ingestion.Streaming;

/// <summary>
/// Loads the accepted records into a store that can take them while the file is still being read
/// (<see cref="IStreamingLoadStore"/>, PostGIS): the database stores rows while this process parses and validates,
/// instead of the two taking turns (parse everything, then COPY everything).
/// <para>
/// Why this is correct: the schema must exist before the COPY starts, so the load begins with the schema inferred
/// from the first records (a sample) and follows the inference as it learns. The inference only ever widens a
/// property's type, and each change is one of two sorts. Those whose database cast gives exactly what converting
/// the source values to the new type would have given (an integer to a number; an integer, boolean or JSON value to
/// its text; a date to midnight UTC; a property that held only nulls so far, whatever its new type; a new property;
/// another geometry type; heights, the rows without them getting 0 as the fitting gives them) are applied to the rows already written (<see cref="IFeatureLoadStream.ChangeSchemaAsync"/>:
/// end the COPY, ALTER TABLE, a new COPY). For the others (a number, date or date-time meeting text: the text the
/// file had is gone once typed) the streamed load is abandoned and rolled back, and the ingest loads from its
/// spool as it would without streaming. So the table ends with the schema and values of a full first pass, whatever
/// the order of the records. The store decides what it can stream: appending to an existing table goes through the
/// spool (its schema is fixed), and so does a store without streamed loads (GeoPackage).
/// </para>
/// Nothing is visible before <see cref="CompleteAsync"/>: disposing this (a failure, a cancellation, a file with
/// nothing to load) rolls the streamed load back, its new table included. The load begins only once
/// <paramref name="precondition"/> (the ingest's check that the collection may be created) has passed.
/// </summary>
internal sealed class StreamedLoad(IStreamingLoadStore store, SchemaInference inference, string collection, IngestMode mode, Task precondition)
    : IAsyncDisposable
{
    // The first records are held back until this many (or this many coordinates, whichever comes first) have been
    // seen, so that the table starts with a schema that rarely needs changing; few enough to cost little memory.
    private const int SampleFeatures = 1_000;
    private const int SampleCoordinates = 250_000;

    private readonly List<SourceFeature> _sample = [];
    private int _sampleCoordinates;
    private IFeatureLoadStream? _load;
    private CollectionSchema? _schema;
    private FeatureConversion.Fitting? _fitting;
    private int _schemaChanges;

    /// <summary>A streamed load for this store, or null when the store cannot take one.</summary>
    public static StreamedLoad? For(IWritableFeatureStore store, SchemaInference inference, IngestRequest request, Task precondition) =>
        store is IStreamingLoadStore streaming
            ? new StreamedLoad(streaming, inference, request.Collection, request.Mode, precondition)
            : null;

    /// <summary>True when the records must be loaded from the spool instead (see the class summary).</summary>
    public bool Abandoned { get; private set; }

    /// <summary>Whether the load has begun and takes the records as they come (not held back, not abandoned).</summary>
    public bool Streaming => _load is not null;

    /// <summary>The records written to the store so far.</summary>
    public long Count => _load?.Count ?? 0;

    /// <summary>Takes a record the inference has just observed.</summary>
    public async ValueTask AddAsync(SourceFeature feature, CancellationToken cancellationToken)
    {
        if (Abandoned) return;
        if (_load is null)
        {
            _sample.Add(feature);
            _sampleCoordinates += feature.Geometry?.NumPoints ?? 0;
            if (_sample.Count >= SampleFeatures || _sampleCoordinates >= SampleCoordinates) await StartAsync(cancellationToken);
            return;
        }
        if (inference.Changes != _schemaChanges && !await FollowInferenceAsync(cancellationToken)) return;
        await _load.WriteAsync(_fitting!.ToRecord(feature), cancellationToken);
    }

    /// <summary>Commits the load; null when it was abandoned (nothing written: load from the spool).</summary>
    public async Task<long?> CompleteAsync(CancellationToken cancellationToken)
    {
        if (!Abandoned && _load is null) await StartAsync(cancellationToken);
        if (Abandoned) return null;
        if (inference.Changes != _schemaChanges && !await FollowInferenceAsync(cancellationToken)) return null;
        return await _load!.CompleteAsync(cancellationToken);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await precondition;
        _schema = inference.ToSchema(collection);
        _schemaChanges = inference.Changes;
        _load = await store.BeginLoadAsync(_schema, mode == IngestMode.Replace, cancellationToken);
        // The precondition found no such collection, but another load has made it since: creating it again is refused.
        if (_load is null && mode == IngestMode.Create)
            throw new StoreConflictException($"'{collection}' exists in the database: another load created it meanwhile.");
        if (_load is null)
        {
            Abandoned = true;
        }
        else
        {
            _fitting = new FeatureConversion.Fitting(_schema, inference.SourceNames);
            foreach (var feature in _sample) await _load.WriteAsync(_fitting.ToRecord(feature), cancellationToken);
        }
        _sample.Clear();
    }

    /// <summary>Brings the load to the inference's schema now; false when that meant abandoning it.</summary>
    private async Task<bool> FollowInferenceAsync(CancellationToken cancellationToken)
    {
        var next = inference.ToSchema(collection);
        _schemaChanges = inference.Changes;
        if (SameTable(_schema!, next)) return true;
        if (!WidensExactly(_schema!, next))
        {
            await _load!.DisposeAsync();
            _load = null;
            Abandoned = true;
            return false;
        }
        await _load!.ChangeSchemaAsync(next, cancellationToken);
        _schema = next;
        _fitting = new FeatureConversion.Fitting(next, inference.SourceNames);
        return true;
    }

    private static bool SameTable(CollectionSchema a, CollectionSchema b) =>
        a.GeometryType == b.GeometryType && a.HasZ == b.HasZ && a.Properties.Count == b.Properties.Count
        && a.Properties.Zip(b.Properties).All(p => p.First.Type == p.Second.Type);

    /// <summary>Whether the values already written, cast to the new types, are what fitting them to the new schema gives.</summary>
    internal static bool WidensExactly(CollectionSchema from, CollectionSchema to) =>
        from.Properties.Zip(to.Properties).All(p => WidensExactly(p.First.Type, p.Second.Type));

    private static bool WidensExactly(PropertyType from, PropertyType to) => (from, to) switch
    {
        _ when from == to => true,
        // Inference types a property as a string when it has held only nulls, and keeps it a string once it has
        // held anything that makes it one: a string becoming something else has no values to convert.
        (PropertyType.String, _) => true,
        (PropertyType.Integer, PropertyType.Number) => true,
        // Their text in the database is what the fitting writes: 42, true/false, the JSON as it was given.
        (PropertyType.Integer or PropertyType.Boolean or PropertyType.Other, PropertyType.String) => true,
        (PropertyType.Date, PropertyType.DateTime) => true,
        // A number's text is formatted differently (1E+20 and 1e+20), and a date's or date-time's is gone.
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (_load is not null) await _load.DisposeAsync();
    }
}
