using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meridian.Processing.Workflows;

/// <summary>A Choice rule's test on the state input.</summary>
public abstract record Condition
{
    public abstract bool Holds(JsonNode? input);
}

public sealed record AndCondition(IReadOnlyList<Condition> All) : Condition
{
    public override bool Holds(JsonNode? input) => All.All(c => c.Holds(input));
}

public sealed record OrCondition(IReadOnlyList<Condition> Any) : Condition
{
    public override bool Holds(JsonNode? input) => Any.Any(c => c.Holds(input));
}

public sealed record NotCondition(Condition Inner) : Condition
{
    public override bool Holds(JsonNode? input) => !Inner.Holds(input);
}

/// <summary>
/// Compares the value at Variable with a literal: Equals (any JSON, compared deeply), GreaterThan, GreaterThanEquals,
/// LessThan, LessThanEquals (two numbers, or two strings in ordinal order), or IsPresent (true/false). A missing
/// value or values of different kinds never compare: the rule does not hold.
/// </summary>
public sealed record ComparisonCondition(JsonPath Variable, string Operator, JsonNode? Value) : Condition
{
    public static readonly string[] Operators = ["Equals", "GreaterThan", "GreaterThanEquals", "LessThan", "LessThanEquals", "IsPresent"];

    public override bool Holds(JsonNode? input)
    {
        var present = Variable.TryGet(input, out var actual);
        if (Operator == "IsPresent") return present == (bool)Value!;
        if (!present) return false;
        var order = Compare(actual, Value);
        if (Operator == "Equals") return order is { } o1 ? o1 == 0 : JsonNode.DeepEquals(actual, Value);
        return order is { } o && Operator switch
        {
            "GreaterThan" => o > 0,
            "GreaterThanEquals" => o >= 0,
            "LessThan" => o < 0,
            _ => o <= 0,
        };
    }

    private static int? Compare(JsonNode? left, JsonNode? right) => (left?.GetValueKind(), right?.GetValueKind()) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => Number(left!).CompareTo(Number(right!)),
        (JsonValueKind.String, JsonValueKind.String) => string.CompareOrdinal(left!.GetValue<string>(), right!.GetValue<string>()),
        _ => null,
    };

    /// <summary>A number whichever CLR type holds it: parsed JSON holds text, a process's output may hold an int or a decimal.</summary>
    private static double Number(JsonNode node) =>
        node.AsValue().TryGetValue<double>(out var value) ? value : double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
