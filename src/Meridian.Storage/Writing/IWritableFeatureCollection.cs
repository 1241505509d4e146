namespace Meridian.Storage.Writing;

/// <summary>
/// A collection whose features can be created, replaced, updated and deleted one at a time (OGC API - Features
/// Part 4). Every call is one transaction of its own: it commits completely or changes nothing. Geometries enter
/// in CRS84, as they leave the port; the store converts them to its storage CRS. Ids are the store's to assign.
/// </summary>
public interface IWritableFeatureCollection : IFeatureCollection
{
    /// <summary>Adds a feature (its <c>Id</c> is ignored) and returns the id the store gave it.</summary>
    Task<string> InsertAsync(FeatureRecord feature, WriteHooks hooks, CancellationToken cancellationToken);

    /// <summary>Applies a patch to one feature: the geometry if the patch sets it, and the properties it names.</summary>
    Task<WriteOutcome> UpdateAsync(string featureId, FeaturePatch patch, WriteHooks hooks, CancellationToken cancellationToken);

    /// <summary>Replaces one feature's geometry and every property; properties the record leaves out become null.</summary>
    Task<WriteOutcome> ReplaceAsync(string featureId, FeatureRecord feature, WriteHooks hooks, CancellationToken cancellationToken) =>
        UpdateAsync(featureId, FeaturePatch.Replacing(Schema, feature), hooks, cancellationToken);

    Task<WriteOutcome> DeleteAsync(string featureId, WriteHooks hooks, CancellationToken cancellationToken);
}

/// <summary>What became of a write to an existing feature.</summary>
public enum WriteOutcome
{
    Written,
    NotFound,
    /// <summary>The caller's <see cref="WriteHooks.Precondition"/> refused the current feature; nothing changed.</summary>
    PreconditionFailed,
}
