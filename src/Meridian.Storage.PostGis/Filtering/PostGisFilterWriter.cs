using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;
using NetTopologySuite.Geometries;

namespace Meridian.Storage.PostGis.Filtering;

/// <summary>
/// CQL2 as PostgreSQL: spatial relations are the PostGIS functions of the same name, which use the GiST index;
/// geometry literals are bound as geometries (transformed in the database when the column is projected).
/// </summary>
internal sealed class PostGisFilterWriter(PostGisRelation relation, SqlParameters parameters) : SqlFilterWriter(relation.Schema)
{
    protected override string Bind(object value) => value switch
    {
        string s => parameters.Add(s),
        long l => parameters.Add(l),
        double d => parameters.Add(d),
        bool b => parameters.Add(b),
        _ => throw new ArgumentException($"Cannot bind a {value.GetType().Name}.", nameof(value)),
    };

    protected override string GeometryColumn => relation.QuotedGeometry;

    protected override string Column(PropertySchema property)
    {
        var column = ColumnOf(property);
        // uuid and other string-like types compare as their text.
        return property.Type == PropertyType.String && column.PgType is not ("text" or "varchar" or "bpchar")
            ? $"{column.Quoted}::text"
            : column.Quoted;
    }

    protected override string TemporalColumn(PropertySchema property, bool asTimestamp)
    {
        var column = ColumnOf(property);
        return column.PgType switch
        {
            // Dates and timestamps without time zone are taken as UTC, whatever the session's time zone.
            "date" => asTimestamp ? $"({column.Quoted}::timestamp AT TIME ZONE 'UTC')" : column.Quoted,
            "timestamp" => $"({column.Quoted} AT TIME ZONE 'UTC')",
            _ => column.Quoted,
        };
    }

    protected override string TemporalDate(DateOnly date, bool asTimestamp) => asTimestamp
        ? parameters.Add(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
        : parameters.Add(date);

    protected override string TemporalTimestamp(DateTimeOffset timestamp) => parameters.Add(timestamp.ToUniversalTime());

    protected override string Spatial(SpatialOperator op, Expression left, Expression right) =>
        $"ST_{op}({Geometry(left)}, {Geometry(right)})";

    private string Geometry(Expression operand)
    {
        if (FilterGeometry.Literal(operand) is not { } literal)
        {
            // Without a declared SRID rows may carry any; compare them as SRID 0 to avoid mixed-SRID errors.
            return relation.Srid == 0 ? $"ST_SetSRID({relation.QuotedGeometry}, 0)" : relation.QuotedGeometry;
        }
        var value = literal.Copy();
        value.SRID = relation.Srid == 0 ? 0 : 4326;
        var placeholder = parameters.Add<Geometry>(value);
        return relation.Srid is 0 or 4326 ? placeholder : $"ST_Transform({placeholder}, {Constant(relation.Srid)})";
    }

    protected override string Lower(string value) =>
        $"translate({value}, {parameters.Add(TextFolding.LowerFrom)}, {parameters.Add(TextFolding.LowerTo)})";

    protected override string RemoveAccents(string value)
    {
        value = $"translate({value}, {parameters.Add(TextFolding.AccentFrom)}, {parameters.Add(TextFolding.AccentTo)})";
        foreach (var (from, to) in TextFolding.AccentExpansions)
            value = $"replace({value}, {parameters.Add(from)}, {parameters.Add(to)})";
        return value;
    }

    protected override string Like(string value, string pattern) => $"{value} LIKE {pattern} ESCAPE '\\'";

    // Byte order of UTF-8, which is code point order: the same as SQLite's, whatever the database's collation.
    protected override string Ordered(string value) => $"{value} COLLATE \"C\"";

    protected override string Divide(string left, string right) => $"(({left})::float8 / NULLIF(({right})::float8, 0))";

    protected override string IntegerDivide(string left, string right) => $"trunc({Divide(left, right)})";

    protected override string Modulo(string left, string right) => $"mod(({left})::numeric, NULLIF(({right})::numeric, 0))";

    // An undefined power (zero to a negative exponent, a negative base to a fractional one) is null, as a division by
    // zero is, rather than PostgreSQL's error; SQLite's writer answers the same.
    protected override string Power(string left, string right) =>
        $"(SELECT CASE WHEN a = 0 AND b < 0 OR a < 0 AND b <> trunc(b) THEN NULL ELSE power(a, b) END FROM (SELECT ({left})::float8 AS a, ({right})::float8 AS b) AS operands)";

    private PostGisColumn ColumnOf(PropertySchema property) =>
        relation.FindColumn(property.Name) ?? throw new FilterException($"property '{property.Name}' has no column in '{relation.Schema.Id}'");
}
