namespace Meridian.Storage;

/// <summary>SQL text helpers shared by the SQL-speaking adapters.</summary>
public static class Sql
{
    /// <summary>Quotes an identifier for SQLite and PostgreSQL alike; values never go through here.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
