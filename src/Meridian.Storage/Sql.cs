namespace Meridian.Storage;

/// <summary>
/// Identifier quoting for the SQL-speaking adapters (SQLite and PostgreSQL quote alike). Names come from
/// catalogs or callers, so they are always quoted, which also keeps their case; values never go into SQL
/// text, they are parameters.
/// </summary>
public static class Sql
{
    public static string Quote(string identifier)
    {
        // Neither engine allows NUL in a name, and both would cut the statement at it.
        if (identifier.Contains('\0'))
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(identifier));
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Quote(string schema, string name) => Quote(schema) + "." + Quote(name);
}
