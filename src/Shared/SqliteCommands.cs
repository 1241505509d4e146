using Microsoft.Data.Sqlite;

namespace Meridian.Sqlite;

/// <summary>
/// Parameterised SQLite commands for the embedded adapters (the job store, the message bus): compiled into each
/// project that uses it, since they share no SQLite library of their own.
/// </summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }
}
