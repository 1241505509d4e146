using System.Globalization;
using Meridian.Storage.Schema;

namespace Meridian.Storage.Filtering;

/// <summary>
/// Writes a bound CQL2 filter as a SQL condition. What is the same in every SQL engine lives here (the logic,
/// comparisons, LIKE, BETWEEN, IN, the temporal relations as comparisons of interval ends); each store fills in
/// what differs: how values are bound, how columns read, spatial relations, case and accent folding, arithmetic.
/// Every literal becomes a bound parameter; SQL's three-valued logic gives CQL2's treatment of nulls.
/// </summary>
public abstract class SqlFilterWriter(CollectionSchema schema)
{
    private const string True = "(1=1)";
    private const string False = "(1=0)";

    /// <summary>The filter as a condition to AND into a WHERE clause.</summary>
    public string Write(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Predicate(filter.Expression);
    }

    // ---- what each engine does its own way ----

    /// <summary>Binds a value and returns its placeholder: string, long, double or bool.</summary>
    protected abstract string Bind(object value);

    /// <summary>A string, number or boolean property as a value.</summary>
    protected abstract string Column(PropertySchema property);

    /// <summary>The geometry column, for IS NULL.</summary>
    protected abstract string GeometryColumn { get; }

    /// <summary>A date or timestamp property as compared: as a timestamp when the other side holds one, else as a date.</summary>
    protected abstract string TemporalColumn(PropertySchema property, bool asTimestamp);

    protected abstract string TemporalDate(DateOnly date, bool asTimestamp);

    protected abstract string TemporalTimestamp(DateTimeOffset timestamp);

    /// <summary>A spatial relation; each operand is a <see cref="GeometryRef"/>, a <see cref="GeometryLiteral"/> or a <see cref="BboxLiteral"/>.</summary>
    protected abstract string Spatial(SpatialOperator op, Expression left, Expression right);

    /// <summary>CASEI: the value through <see cref="TextFolding.Lower"/>.</summary>
    protected abstract string Lower(string value);

    /// <summary>ACCENTI: the value through <see cref="TextFolding.RemoveAccents"/>.</summary>
    protected abstract string RemoveAccents(string value);

    /// <summary>LIKE with CQL2's wildcards (<c>%</c>, <c>_</c>) and backslash escape, case sensitive.</summary>
    protected abstract string Like(string value, string pattern);

    /// <summary>A string operand of &lt;, &gt;, &lt;= or &gt;=: ordered by code point in every store.</summary>
    protected virtual string Ordered(string value) => value;

    /// <summary>Division as real numbers; null (no match) for a zero divisor.</summary>
    protected abstract string Divide(string left, string right);

    protected abstract string IntegerDivide(string left, string right);

    protected abstract string Modulo(string left, string right);

    protected abstract string Power(string left, string right);

    // ---- predicates ----

    private string Predicate(Expression expression) => expression switch
    {
        And and => "(" + string.Join(" AND ", and.Operands.Select(Predicate)) + ")",
        Or or => "(" + string.Join(" OR ", or.Operands.Select(Predicate)) + ")",
        Not not => $"(NOT {Predicate(not.Operand)})",
        Comparison c => Compare(c),
        Like like => "(" + Like(Value(like.Value), Value(like.Pattern)) + ")",
        Between b => $"({Value(b.Value)} BETWEEN {Value(b.Low)} AND {Value(b.High)})",
        In @in => InList(@in),
        IsNull isNull => $"({(isNull.Operand is GeometryRef ? GeometryColumn : Value(isNull.Operand))} IS NULL)",
        SpatialPredicate s => "(" + Spatial(s.Operator, s.Left, s.Right) + ")",
        TemporalPredicate t => Temporal(t),
        ArrayPredicate a => ArrayRelation(a) ? True : False,
        BooleanLiteral or PropertyRef => $"({Value(expression)})",
        _ => throw Unsupported(expression),
    };

    private string Compare(Comparison comparison)
    {
        var asTimestamp = HasTimestamp(comparison.Left, comparison.Right);
        var left = Value(comparison.Left, asTimestamp);
        var right = Value(comparison.Right, asTimestamp);
        if (comparison.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual)
            && (KindOf(comparison.Left) == PropertyKind.String || KindOf(comparison.Right) == PropertyKind.String))
        {
            (left, right) = (Ordered(left), Ordered(right));
        }
        return $"({left} {comparison.Operator.ToText()} {right})";
    }

    private string InList(In @in)
    {
        // cql2-json allows an empty list (its schema sets no minItems): no value is in it, null included.
        // PostgreSQL has no "IN ()", so say it the way every database reads.
        if (@in.Items.Count == 0) return "(1 = 0)";
        var asTimestamp = HasTimestamp([@in.Value, .. @in.Items]);
        return $"({Value(@in.Value, asTimestamp)} IN ({string.Join(", ", @in.Items.Select(i => Value(i, asTimestamp)))}))";
    }

    // ---- temporal relations (OGC 21-065, 7.11): each operand is an interval [start, end]; an instant is [t, t] ----

    /// <summary>An end of an interval: a SQL value, or unbounded (an open end, '..').</summary>
    private readonly record struct End(string? Sql, int Infinity)
    {
        public static End Of(string sql) => new(sql, 0);
    }

    private string Temporal(TemporalPredicate predicate)
    {
        var asTimestamp = HasTimestamp(predicate.Left, predicate.Right);
        var (aStart, aEnd) = Ends(predicate.Left, asTimestamp);
        var (bStart, bEnd) = Ends(predicate.Right, asTimestamp);
        return predicate.Operator switch
        {
            TemporalOperator.After => Cmp(aStart, ">", bEnd),
            TemporalOperator.Before => Cmp(aEnd, "<", bStart),
            TemporalOperator.Contains => All(Cmp(aStart, "<", bStart), Cmp(aEnd, ">", bEnd)),
            TemporalOperator.Disjoint => Any(Cmp(aStart, ">", bEnd), Cmp(aEnd, "<", bStart)),
            TemporalOperator.During => All(Cmp(aStart, ">", bStart), Cmp(aEnd, "<", bEnd)),
            TemporalOperator.Equals => All(Cmp(aStart, "=", bStart), Cmp(aEnd, "=", bEnd)),
            TemporalOperator.FinishedBy => All(Cmp(aStart, "<", bStart), Cmp(aEnd, "=", bEnd)),
            TemporalOperator.Finishes => All(Cmp(aStart, ">", bStart), Cmp(aEnd, "=", bEnd)),
            TemporalOperator.Intersects => All(Cmp(aStart, "<=", bEnd), Cmp(aEnd, ">=", bStart)),
            TemporalOperator.Meets => Cmp(aEnd, "=", bStart),
            TemporalOperator.MetBy => Cmp(aStart, "=", bEnd),
            TemporalOperator.OverlappedBy => All(Cmp(aStart, ">", bStart), Cmp(aStart, "<", bEnd), Cmp(aEnd, ">", bEnd)),
            TemporalOperator.Overlaps => All(Cmp(aStart, "<", bStart), Cmp(aEnd, ">", bStart), Cmp(aEnd, "<", bEnd)),
            TemporalOperator.StartedBy => All(Cmp(aStart, "=", bStart), Cmp(aEnd, ">", bEnd)),
            TemporalOperator.Starts => All(Cmp(aStart, "=", bStart), Cmp(aEnd, "<", bEnd)),
            _ => throw Unsupported(predicate),
        };
    }

    private (End Start, End End) Ends(Expression operand, bool asTimestamp)
    {
        if (operand is IntervalLiteral interval)
        {
            return (interval.Start is null ? new End(null, -1) : End.Of(Value(interval.Start, asTimestamp)),
                interval.End is null ? new End(null, 1) : End.Of(Value(interval.End, asTimestamp)));
        }
        var instant = End.Of(Value(operand, asTimestamp));
        return (instant, instant);
    }

    /// <summary>
    /// A comparison of two ends. One that involves an open end is decided here, except that a null value on
    /// the other side stays unknown, as in any SQL comparison.
    /// </summary>
    private static string Cmp(End left, string op, End right)
    {
        if (left.Infinity == 0 && right.Infinity == 0) return $"({left.Sql} {op} {right.Sql})";
        var value = left.Sql ?? right.Sql;
        var order = left.Infinity.CompareTo(right.Infinity);
        var holds = op switch
        {
            "<" => order < 0,
            ">" => order > 0,
            "<=" => order <= 0,
            ">=" => order >= 0,
            _ => order == 0,
        };
        if (value is null) return holds ? True : False;
        return holds ? $"({value} IS NOT NULL OR NULL)" : $"({value} IS NULL AND NULL)";
    }

    private static string All(params string[] conditions) => "(" + string.Join(" AND ", conditions) + ")";

    private static string Any(params string[] conditions) => "(" + string.Join(" OR ", conditions) + ")";

    // ---- arrays: no store has array properties, so both sides are array literals, decided here ----

    private static bool ArrayRelation(ArrayPredicate predicate)
    {
        if (predicate.Left is not ArrayLiteral left || predicate.Right is not ArrayLiteral right || !IsConstant(left) || !IsConstant(right))
            throw Unsupported(predicate, "array functions on anything but array literals");
        var (a, b) = (left.Items.ToList(), right.Items.ToList());
        return predicate.Operator switch
        {
            ArrayOperator.Equals => a.SequenceEqual(b),
            ArrayOperator.Contains => b.All(a.Contains),
            ArrayOperator.ContainedBy => a.All(b.Contains),
            ArrayOperator.Overlaps => a.Any(b.Contains),
            _ => throw Unsupported(predicate),
        };
    }

    private static bool IsConstant(Expression expression) =>
        expression is Literal && (expression is not ArrayLiteral array || array.Items.All(IsConstant));

    // ---- values ----

    private string Value(Expression expression) => Value(expression, asTimestamp: false);

    private string Value(Expression expression, bool asTimestamp) => expression switch
    {
        StringLiteral s => Bind(s.Value),
        // Integral numbers bind as integers, so that they compare with integer columns exactly and by index.
        NumberLiteral n => n.Value == Math.Floor(n.Value) && Math.Abs(n.Value) < 9e15 ? Bind((long)n.Value) : Bind(n.Value),
        BooleanLiteral b => Bind(b.Value),
        DateLiteral d => TemporalDate(d.Value, asTimestamp),
        TimestampLiteral t => TemporalTimestamp(t.Value),
        PropertyRef p => Property(p, asTimestamp),
        CaseInsensitive c => Lower(Value(c.Operand)),
        AccentInsensitive a => RemoveAccents(Value(a.Operand)),
        Arithmetic a => Arithmetic(a),
        Negate n => $"(-{Value(n.Operand)})",
        And or Or or Not or Comparison or Filtering.Like or Between or In or IsNull or SpatialPredicate or TemporalPredicate or ArrayPredicate => Predicate(expression),
        _ => throw Unsupported(expression),
    };

    private string Property(PropertyRef reference, bool asTimestamp)
    {
        var property = schema.FindProperty(reference.Name) ?? throw Unsupported(reference, $"the unknown property '{reference.Name}'");
        return property.Type is PropertyType.Date or PropertyType.DateTime
            ? TemporalColumn(property, asTimestamp || property.Type == PropertyType.DateTime)
            : Column(property);
    }

    private string Arithmetic(Arithmetic arithmetic)
    {
        var (left, right) = (Value(arithmetic.Left), Value(arithmetic.Right));
        return arithmetic.Operator switch
        {
            ArithmeticOperator.Add => $"({left} + {right})",
            ArithmeticOperator.Subtract => $"({left} - {right})",
            ArithmeticOperator.Multiply => $"({left} * {right})",
            ArithmeticOperator.Divide => Divide(left, right),
            ArithmeticOperator.IntegerDivide => IntegerDivide(left, right),
            ArithmeticOperator.Modulo => Modulo(left, right),
            ArithmeticOperator.Power => Power(left, right),
            _ => throw Unsupported(arithmetic),
        };
    }

    // ---- types ----

    private enum PropertyKind
    {
        Other,
        String,
        Date,
        Timestamp,
    }

    private PropertyKind KindOf(Expression expression) => expression switch
    {
        StringLiteral or CaseInsensitive or AccentInsensitive => PropertyKind.String,
        DateLiteral => PropertyKind.Date,
        TimestampLiteral => PropertyKind.Timestamp,
        PropertyRef p => schema.FindProperty(p.Name)?.Type switch
        {
            PropertyType.String => PropertyKind.String,
            PropertyType.Date => PropertyKind.Date,
            PropertyType.DateTime => PropertyKind.Timestamp,
            _ => PropertyKind.Other,
        },
        _ => PropertyKind.Other,
    };

    /// <summary>Whether any operand (or interval end) is a timestamp: then dates compare as their first instant.</summary>
    private bool HasTimestamp(params Expression?[] operands) => operands.Any(o => o switch
    {
        IntervalLiteral i => HasTimestamp(i.Start, i.End),
        null => false,
        _ => KindOf(o) == PropertyKind.Timestamp,
    });

    private static FilterException Unsupported(Expression expression, string? what = null) =>
        new($"this store cannot evaluate {what ?? Describe(expression)}" + (expression.Position.IsNone ? "" : $" at {expression.Position}"));

    private static string Describe(Expression expression) => expression switch
    {
        FunctionCall f => $"function '{f.Name}'",
        _ => "'" + expression.ToString() + "'",
    };

    /// <summary>The invariant text of a number, for SQL that must name a constant rather than bind it (never user data).</summary>
    protected static string Constant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
