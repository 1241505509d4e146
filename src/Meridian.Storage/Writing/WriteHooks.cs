namespace Meridian.Storage.Writing;

/// <summary>
/// Callbacks a write runs inside its transaction, each on a reader positioned on the feature as
/// <c>IFeatureCollection.GetAsync</c> would return it. Other writers of the feature wait meanwhile, so a
/// conditional write (HTTP <c>If-Match</c>) cannot lose a race, and the tag it reports is that of what it wrote.
/// </summary>
public sealed record WriteHooks
{
    public static readonly WriteHooks None = new();

    /// <summary>Sees the current feature before a replace, update or delete; false refuses the write.</summary>
    public Func<IFeatureReader, bool>? Precondition { get; init; }

    /// <summary>Sees the feature as written by an insert, replace or update, before the commit.</summary>
    public Action<IFeatureReader>? Written { get; init; }
}
