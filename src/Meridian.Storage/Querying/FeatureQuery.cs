using Meridian.Storage.Filtering;
using Meridian.Storage.Spatial;
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

    /// <summary>
    /// A CQL2 filter (the <c>filter</c> parameter), already checked against the collection's schema; features
    /// must also match it. A store that cannot run some part of it throws a <see cref="FilterException"/> rather than ignore it.
    /// </summary>
    public Filter? Filter { get; init; }

    /// <summary>The CRS the geometries leave the store in (OGC API - Features Part 2 <c>crs</c>); boxes stay CRS84.</summary>
    public Crs OutputCrs { get; init; } = CrsRegistry.Crs84;
    /// <summary>The order of the features: these keys, then the id (which alone is the order when there are none).</summary>
    public IReadOnlyList<SortProperty> SortBy { get; init; } = [];

    /// <summary>
    /// The properties the caller will read (the <c>properties</c> parameter), or null for all. A store may leave
    /// the others out (their values read as null); it always reads the sort keys, which cursors are made of.
    /// </summary>
    public IReadOnlyList<string>? Properties { get; init; }

    /// <summary>Whether the store must read a property's values for this query.</summary>
    public bool Reads(string property) =>
        Properties is null || Properties.Contains(property, StringComparer.Ordinal) || SortBy.Any(k => k.Property.Name == property);

    /// <summary>Rows to return; stores are asked for one more to learn whether a next page exists.</summary>
    public int Limit { get; init; } = 10;
    public PageCursor? Cursor { get; init; }

    /// <summary>
    /// The caller wants <c>numberMatched</c>, which the page's reader gives (<see cref="IFeatureReader.CountMatchedAsync"/>)
    /// from the page's snapshot: counted while the store finds the page when that is cheap (<see cref="CountsWithPage"/>),
    /// else by a count in the page's read transaction.
    /// </summary>
    public bool CountMatches { get; init; }

    /// <summary>
    /// Whether counting with the page is cheap: a bbox (or a filter's spatial relation with a literal) bounds the
    /// matches, which the spatial index visits anyway, and a first page sees them all.
    /// </summary>
    public bool CountsWithPage => CountMatches && Cursor is null
        && (BoundingBoxes.Count > 0 || (Filter is { } filter && FilterGeometry.IntersectedLiterals(filter).Any()));

    /// <summary>The same selection without paging: what <c>numberMatched</c> counts.</summary>
    public FeatureQuery WithoutPaging() => this with { Cursor = null, Limit = int.MaxValue, CountMatches = false };
}
