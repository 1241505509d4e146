using Meridian.Storage.Filtering;
using Meridian.Storage.Spatial;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Meridian.Storage.GeoPackage.Filtering;

/// <summary>The SQL functions a CQL2 filter needs in SQLite, registered on the connection that runs it.</summary>
internal static class FilterFunctions
{
    public const string Relate = "meridian_relate";
    public const string Lower = "meridian_lower";
    public const string RemoveAccents = "meridian_accenti";
    public const string Like = "meridian_like";
    public const string IntegerDivide = "meridian_div";
    public const string Modulo = "meridian_mod";
    public const string Power = "meridian_power";

    /// <summary>
    /// Registers the functions; <paramref name="literals"/> are the filter's geometry literals in CRS84, which
    /// <c>meridian_relate(op, a, b)</c> finds by slot number. Stored geometries are read in <paramref name="srid"/>
    /// and brought to CRS84 by <paramref name="transform"/> when the layer is projected.
    /// </summary>
    public static void Register(SqliteConnection connection, IReadOnlyList<Geometry> literals, int srid, Crs84Transform? transform)
    {
        var prepared = literals.Select(PreparedGeometryFactory.Prepare).ToArray();
        connection.CreateFunction(Relate, (long op, object? left, object? right) =>
        {
            var a = Operand(left, prepared, srid, transform);
            var b = Operand(right, prepared, srid, transform);
            if (a.Geometry is null || b.Geometry is null) return (bool?)null;
            var relation = (SpatialOperator)op;
            // A prepared literal on either side answers faster; on the right, ask it the converse question.
            if (a.Prepared is { } pa) return Evaluate(relation, pa, b.Geometry);
            if (b.Prepared is { } pb) return Evaluate(Converse(relation), pb, a.Geometry);
            return Evaluate(relation, PreparedGeometryFactory.Prepare(a.Geometry), b.Geometry);
        }, isDeterministic: true);
        connection.CreateFunction(Lower, (string? text) => text is null ? null : TextFolding.Lower(text), isDeterministic: true);
        connection.CreateFunction(RemoveAccents, (string? text) => text is null ? null : TextFolding.RemoveAccents(text), isDeterministic: true);
        connection.CreateFunction(Like, (string? text, string? pattern) =>
            text is null || pattern is null ? (bool?)null : LikePattern.IsMatch(text, pattern), isDeterministic: true);
        connection.CreateFunction(IntegerDivide, (double? a, double? b) => a is null || b is null or 0 ? (double?)null : Math.Truncate(a.Value / b.Value), isDeterministic: true);
        connection.CreateFunction(Modulo, (double? a, double? b) => a is null || b is null or 0 ? null : Defined(a.Value % b.Value), isDeterministic: true);
        // Zero to a negative exponent is undefined too (PostGIS's writer makes it null), though Math.Pow answers infinity.
        connection.CreateFunction(Power, (double? a, double? b) => a is null || b is null || a == 0 && b < 0 ? null : Defined(Math.Pow(a.Value, b.Value)), isDeterministic: true);
    }

    /// <summary>An undefined result (a negative base to a fractional power, infinity modulo n) as null: SQLite refuses NaN, failing the query.</summary>
    private static double? Defined(double value) => double.IsNaN(value) ? null : value;

    private static (Geometry? Geometry, IPreparedGeometry? Prepared) Operand(object? value, IPreparedGeometry[] literals, int srid, Crs84Transform? transform)
    {
        switch (value)
        {
            case long slot:
                return (literals[slot].Geometry, literals[slot]);
            case byte[] blob when !GeoPackageBlob.IsEmpty(blob):
                var geometry = GeoPackageBlob.Read(blob, srid);
                return (geometry is null || transform is null ? geometry : transform.ToCrs84(geometry), null);
            default:
                return (null, null);
        }
    }

    private static bool Evaluate(SpatialOperator op, IPreparedGeometry a, Geometry b) => op switch
    {
        SpatialOperator.Intersects => a.Intersects(b),
        SpatialOperator.Equals => a.Geometry.EqualsTopologically(b),
        SpatialOperator.Disjoint => a.Disjoint(b),
        SpatialOperator.Touches => a.Touches(b),
        SpatialOperator.Within => a.Within(b),
        SpatialOperator.Overlaps => a.Overlaps(b),
        SpatialOperator.Crosses => a.Crosses(b),
        SpatialOperator.Contains => a.Contains(b),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The relation that holds between b and a when <paramref name="op"/> holds between a and b.</summary>
    private static SpatialOperator Converse(SpatialOperator op) => op switch
    {
        SpatialOperator.Within => SpatialOperator.Contains,
        SpatialOperator.Contains => SpatialOperator.Within,
        _ => op,
    };
}
