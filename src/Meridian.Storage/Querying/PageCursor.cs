namespace Meridian.Storage.Querying;

/// <summary>
/// Keyset paging: the page holds the features just after (or just before) a feature id, in id order.
/// Unlike offsets, a page stays the same while other features are inserted or deleted around it.
/// </summary>
public sealed record PageCursor(string Key, bool Backward);
