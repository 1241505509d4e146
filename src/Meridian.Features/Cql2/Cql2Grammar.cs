using System.Globalization;
using Meridian.Storage.Filtering;

namespace Meridian.Features.Cql2;

/// <summary>Rules both encodings share: what may stand where a predicate is expected, and how nodes are named in errors.</summary>
internal static class Cql2Grammar
{
    /// <summary>
    /// Whether the node may be an operand of AND, OR, NOT or the whole filter (the BNF's <c>booleanPrimary</c>:
    /// a predicate, a boolean literal or a function).
    /// </summary>
    public static bool IsPredicate(Expression expression) => expression is
        And or Or or Not or Comparison or Like or Between or In or IsNull
        or SpatialPredicate or TemporalPredicate or ArrayPredicate or BooleanLiteral or FunctionCall;

    public static Expression RequirePredicate(Expression expression)
    {
        if (!IsPredicate(expression)) throw Cql2Exception.At(expression.Position, "expected a predicate", Describe(expression));
        return expression;
    }

    /// <summary>A short description of a node for error messages: "property 'name'", "number 5", "an array".</summary>
    public static string Describe(Expression expression) => expression switch
    {
        PropertyRef p => $"property '{Truncate(p.Name)}'",
        GeometryRef => "the geometry",
        StringLiteral s => $"string '{Truncate(s.Value)}'",
        NumberLiteral n => "number " + n.Value.ToString("R", CultureInfo.InvariantCulture),
        BooleanLiteral b => b.Value ? "TRUE" : "FALSE",
        DateLiteral => "a date",
        TimestampLiteral => "a timestamp",
        IntervalLiteral => "an interval",
        GeometryLiteral g => "a " + g.Value.GeometryType.ToUpperInvariant() + " geometry",
        BboxLiteral => "a BBOX",
        ArrayLiteral => "an array",
        FunctionCall f => $"function '{Truncate(f.Name)}'",
        Arithmetic or Negate => "an arithmetic expression",
        CaseInsensitive => "CASEI(…)",
        AccentInsensitive => "ACCENTI(…)",
        _ => "a predicate",
    };

    /// <summary>
    /// Refuses text with a lone UTF-16 surrogate: it has no UTF-8 form, so neither the JSON reader nor a
    /// database driver could take it.
    /// </summary>
    public static void RequireWellFormedUtf16(string text, Func<int, SourcePosition> position)
    {
        var first = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0) return;
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            var at = position(i);
            var where = at.JsonPath is null ? "" : $", character {i}";
            throw Cql2Exception.At(at, $"invalid character U+{(int)c:X4} (half of a surrogate pair{where})");
        }
    }

    public static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
