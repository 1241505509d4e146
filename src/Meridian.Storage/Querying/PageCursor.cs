namespace Meridian.Storage.Querying;

/// <summary>
/// Keyset paging: the page holds the features just after (or just before) a feature, in the query's order.
/// Unlike offsets, a page stays the same while other features are inserted or deleted around it. Without a
/// sort the order is the feature id's; with one, <see cref="SortValues"/> holds that feature's value of each
/// sort key (typed as <see cref="IFeatureReader.GetValue"/> returns them, null for a null) and the id breaks ties.
/// </summary>
public sealed record PageCursor(string Key, bool Backward)
{
    public IReadOnlyList<object?> SortValues { get; init; } = [];
}
