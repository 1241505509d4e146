namespace Meridian.Storage.Filtering;

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    GreaterThan,
    LessThanOrEqual,
    GreaterThanOrEqual,
}

public enum SpatialOperator
{
    Intersects,
    Equals,
    Disjoint,
    Touches,
    Within,
    Overlaps,
    Crosses,
    Contains,
}

public enum TemporalOperator
{
    After,
    Before,
    Contains,
    Disjoint,
    During,
    Equals,
    FinishedBy,
    Finishes,
    Intersects,
    Meets,
    MetBy,
    OverlappedBy,
    Overlaps,
    StartedBy,
    Starts,
}

public enum ArrayOperator
{
    Equals,
    Contains,
    ContainedBy,
    Overlaps,
}

public enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    /// <summary><c>%</c>: the remainder of the division.</summary>
    Modulo,
    /// <summary><c>div</c>: the division truncated to an integer.</summary>
    IntegerDivide,
    /// <summary><c>^</c>.</summary>
    Power,
}

/// <summary>The names the operators have in cql2-text and cql2-json.</summary>
public static class Cql2Operators
{
    public static string ToText(this ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string ToText(this ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        ArithmeticOperator.Modulo => "%",
        ArithmeticOperator.IntegerDivide => "div",
        ArithmeticOperator.Power => "^",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>The function name in cql2-text, e.g. <c>S_INTERSECTS</c>; cql2-json uses it in lower case.</summary>
    public static string ToText(this SpatialOperator op) => "S_" + op.ToString().ToUpperInvariant();

    /// <summary>The function name in cql2-text, e.g. <c>T_FINISHEDBY</c>.</summary>
    public static string ToText(this TemporalOperator op) => "T_" + op.ToString().ToUpperInvariant();

    /// <summary>The function name in cql2-text, e.g. <c>A_CONTAINEDBY</c>.</summary>
    public static string ToText(this ArrayOperator op) => "A_" + op.ToString().ToUpperInvariant();

    /// <summary>The op in cql2-json, e.g. <c>t_finishedBy</c>.</summary>
    public static string ToJson(this TemporalOperator op) => "t_" + char.ToLowerInvariant(op.ToString()[0]) + op.ToString()[1..];

    /// <summary>The op in cql2-json, e.g. <c>a_containedBy</c>.</summary>
    public static string ToJson(this ArrayOperator op) => "a_" + char.ToLowerInvariant(op.ToString()[0]) + op.ToString()[1..];

    /// <summary>The op in cql2-json, e.g. <c>s_intersects</c>.</summary>
    public static string ToJson(this SpatialOperator op) => "s_" + op.ToString().ToLowerInvariant();
}
