using Meridian.Storage.Schema;

namespace Meridian.Storage;

/// <summary>
/// A writable store that can take a bulk load while its features are still being read, into a new table whose
/// schema may widen during the load: the caller starts from a schema inferred from the first records and widens it
/// when a later record needs it. Used by the ingest so that the database stores rows while the file is parsed.
/// </summary>
public interface IStreamingLoadStore : IWritableFeatureStore
{
    /// <summary>
    /// Begins a load into a new table for the collection: the collection's own when it does not exist, otherwise
    /// (with <paramref name="replace"/>) a staging table swapped in for it on completion. Null when the collection
    /// exists and <paramref name="replace"/> is false: appending to an existing table goes through
    /// <see cref="IWritableFeatureStore.LoadAsync"/>, whose schema must be final. Nothing is visible to others
    /// until <see cref="IFeatureLoadStream.CompleteAsync"/>; disposing the load before that undoes all of it.
    /// </summary>
    Task<IFeatureLoadStream?> BeginLoadAsync(CollectionSchema schema, bool replace, CancellationToken cancellationToken);
}

/// <summary>One streamed load in progress (see <see cref="IStreamingLoadStore.BeginLoadAsync"/>).</summary>
public interface IFeatureLoadStream : IAsyncDisposable
{
    /// <summary>The features written so far.</summary>
    long Count { get; }

    /// <summary>Writes one feature, which must fit the load's current schema.</summary>
    ValueTask WriteAsync(FeatureRecord feature, CancellationToken cancellationToken);

    /// <summary>
    /// Changes the load's schema to <paramref name="schema"/>: the current properties first, same names, same order,
    /// each with its type or a wider one, then any new ones (empty for the features already written); the geometry
    /// type may change too. The features already written are converted by the database's own casts (an integer to
    /// a number, a boolean, integer or JSON value to its text, a date to midnight UTC; a property that so far held only
    /// nulls to anything): the caller asks only for changes whose casts give what converting the source values
    /// to the new type would have given.
    /// </summary>
    Task ChangeSchemaAsync(CollectionSchema schema, CancellationToken cancellationToken);

    /// <summary>Finishes the load (indexes, the swap when replacing) and commits it; returns the number of features loaded.</summary>
    Task<long> CompleteAsync(CancellationToken cancellationToken);
}
