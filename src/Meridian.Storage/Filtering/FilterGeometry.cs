using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.Filtering;

/// <summary>The geometry literals of a filter, as stores need them.</summary>
public static class FilterGeometry
{
    /// <summary>A geometry literal or BBOX as a geometry in CRS84; null for any other operand (the collection's geometry).</summary>
    public static Geometry? Literal(Expression operand) => operand switch
    {
        GeometryLiteral g => g.Value,
        BboxLiteral b => b.ToGeometry(GeometryServices.Factory),
        _ => null,
    };

    /// <summary>
    /// The literals every match of the filter must intersect: those of the spatial relations that imply
    /// intersection (all but S_DISJOINT) between the collection's geometry and a literal, ANDed at the top of the
    /// filter. A spatial index can narrow the rows to their envelopes before anything is evaluated.
    /// </summary>
    public static IEnumerable<Geometry> IntersectedLiterals(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Intersected(filter.Expression);
    }

    private static IEnumerable<Geometry> Intersected(Expression expression) => expression switch
    {
        And and => and.Operands.SelectMany(Intersected),
        SpatialPredicate { Operator: not SpatialOperator.Disjoint } s when s.Left is GeometryRef && Literal(s.Right) is { } g => [g],
        SpatialPredicate { Operator: not SpatialOperator.Disjoint } s when s.Right is GeometryRef && Literal(s.Left) is { } g => [g],
        _ => [],
    };
}
