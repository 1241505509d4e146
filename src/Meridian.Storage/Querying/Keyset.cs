namespace Meridian.Storage.Querying;

/// <summary>
/// The SQL of keyset paging over a sort: the ORDER BY and the condition that keeps the rows after (or before) a
/// cursor. The keys are the sort's expressions then the id, which makes the order total. Nulls sort last in
/// both directions in every store, so the condition can say where they are.
/// </summary>
/// <param name="Keys">SQL expressions with their direction; the last is the id.</param>
public sealed record Keyset(IReadOnlyList<(string Sql, bool Descending)> Keys)
{
    /// <summary>The order of a page, or its reverse (for a page taken backward).</summary>
    public string OrderBy(bool reverse) => string.Join(", ", Keys.Select((k, i) =>
        $"{k.Sql} {(k.Descending != reverse ? "DESC" : "ASC")}" + (IsId(i) ? "" : $" NULLS {(reverse ? "FIRST" : "LAST")}")));

    // The id is never null; saying nothing about its nulls keeps the plain order an index (or SQLite's rowid) serves.
    private bool IsId(int index) => index == Keys.Count - 1;

    /// <summary>The same keys under other names (the columns of a subquery), in the same directions.</summary>
    public Keyset Renamed(Func<int, string> name) => new(Keys.Select((k, i) => (name(i), k.Descending)).ToList());

    /// <summary>
    /// Rows strictly after (or before) the cursor row, whose key values are the bound <paramref name="values"/>
    /// (null where the cursor row's value is null): key 1 beyond, or key 1 equal and key 2 beyond, and so on.
    /// </summary>
    public string Beyond(IReadOnlyList<string?> values, bool backward)
    {
        if (values.Count != Keys.Count) throw new ArgumentException($"{Keys.Count} key values expected.", nameof(values));
        var alternatives = new List<string>();
        for (var i = 0; i < Keys.Count; i++)
        {
            var terms = Enumerable.Range(0, i).Select(j => Equal(Keys[j].Sql, values[j])).Append(Past(Keys[i], values[i], backward, IsId(i)));
            alternatives.Add("(" + string.Join(" AND ", terms) + ")");
        }
        return "(" + string.Join(" OR ", alternatives) + ")";
    }

    private static string Equal(string key, string? value) => value is null ? $"{key} IS NULL" : $"{key} = {value}";

    private static string Past((string Sql, bool Descending) key, string? value, bool backward, bool notNull)
    {
        var op = key.Descending != backward ? "<" : ">";
        if (notNull) return $"{key.Sql} {op} {value}";
        if (!backward) return value is null ? "1=0" : $"({key.Sql} {op} {value} OR {key.Sql} IS NULL)";
        return value is null ? $"{key.Sql} IS NOT NULL" : $"{key.Sql} {op} {value}";
    }
}
