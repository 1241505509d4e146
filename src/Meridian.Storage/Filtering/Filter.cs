namespace Meridian.Storage.Filtering;

/// <summary>
/// A CQL2 filter that a store can run: an expression the binder has checked against the collection's schema.
/// Every property it names is a queryable of the collection (the geometry is a <see cref="GeometryRef"/>), types
/// agree, geometry literals are in CRS84 with valid coordinates, and only supported functions are called.
/// Literal values stay literals, so a SQL store binds each as a parameter.
/// </summary>
public sealed record Filter(Expression Expression)
{
    public override string ToString() => Expression.ToString();
}
