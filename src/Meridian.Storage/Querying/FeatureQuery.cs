using NetTopologySuite.Geometries;

namespace Meridian.Storage.Querying;

/// <summary>
/// A feature selection as every store must understand it. Boxes are in CRS84; a feature matches when its
/// geometry intersects any of them (two boxes when a bbox crosses the antimeridian).
/// </summary>
public sealed record FeatureQuery
{
    public IReadOnlyList<Envelope> BoundingBoxes { get; init; } = [];
    public TimeInterval? Time { get; init; }
    public IReadOnlyList<PropertyEquals> Equalities { get; init; } = [];

    /// <summary>Rows to return; stores are asked for one more to learn whether a next page exists.</summary>
    public int Limit { get; init; } = 10;
    public PageCursor? Cursor { get; init; }

    /// <summary>The same selection without paging: what <c>numberMatched</c> counts.</summary>
    public FeatureQuery WithoutPaging() => this with { Cursor = null, Limit = int.MaxValue };
}
