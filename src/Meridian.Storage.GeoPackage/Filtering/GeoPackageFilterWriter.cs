using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.GeoPackage.Filtering;

/// <summary>
/// CQL2 as SQLite. Dates and timestamps, which GeoPackage stores as ISO text with or without 'Z' and fraction,
/// compare through <c>julianday()</c>; what SQLite lacks (spatial relations, Unicode folding, a case-sensitive
/// LIKE, some arithmetic) are functions of <see cref="FilterFunctions"/>. Geometry literals become slots of
/// <see cref="Literals"/>, which the query's <c>meridian_relate</c> evaluates with prepared geometries.
/// </summary>
internal sealed class GeoPackageFilterWriter(GeoPackageLayerInfo layer, Func<object, string> bind) : SqlFilterWriter(layer.Schema)
{
    /// <summary>The geometry literals of the filter, in CRS84, in slot order.</summary>
    public List<Geometry> Literals { get; } = [];

    protected override string Bind(object value) => bind(value);

    protected override string GeometryColumn => GeoPackageLayerInfo.Column(layer.GeometryColumn);

    protected override string Column(PropertySchema property) => GeoPackageLayerInfo.Column(property.Name);

    protected override string TemporalColumn(PropertySchema property, bool asTimestamp) => $"julianday({Column(property)})";

    protected override string TemporalDate(DateOnly date, bool asTimestamp) => $"julianday({bind(SqliteValues.FormatDate(date))})";

    protected override string TemporalTimestamp(DateTimeOffset timestamp) => $"julianday({bind(SqliteValues.FormatTimestamp(timestamp))})";

    protected override string Spatial(SpatialOperator op, Expression left, Expression right) =>
        $"{FilterFunctions.Relate}({Constant((int)op)}, {Geometry(left)}, {Geometry(right)})";

    // A literal is passed as its slot number; the geometry column as its blob.
    private string Geometry(Expression operand)
    {
        if (FilterGeometry.Literal(operand) is not { } literal) return GeometryColumn;
        Literals.Add(literal);
        return Constant(Literals.Count - 1);
    }

    protected override string Lower(string value) => $"{FilterFunctions.Lower}({value})";

    protected override string RemoveAccents(string value) => $"{FilterFunctions.RemoveAccents}({value})";

    protected override string Like(string value, string pattern) => $"{FilterFunctions.Like}({value}, {pattern})";

    protected override string Divide(string left, string right) => $"(CAST({left} AS REAL) / NULLIF({right}, 0))";

    protected override string IntegerDivide(string left, string right) => $"{FilterFunctions.IntegerDivide}({left}, {right})";

    protected override string Modulo(string left, string right) => $"{FilterFunctions.Modulo}({left}, {right})";

    protected override string Power(string left, string right) => $"{FilterFunctions.Power}({left}, {right})";
}
