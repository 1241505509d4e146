namespace Meridian.Storage.PostGis;

/// <summary>
/// Identifier quoting. Relation and column names come from the catalog or from callers, so they are always
/// quoted (which also keeps their case); values never go into SQL text, they are parameters.
/// </summary>
internal static class Sql
{
    public static string Quote(string identifier)
    {
        // PostgreSQL identifiers cannot hold NUL, and the wire protocol would cut the statement at it.
        if (identifier.Contains('\0'))
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(identifier));
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Quote(string schema, string name) => Quote(schema) + "." + Quote(name);
}
