using DuckDB.NET.Data;

namespace Meridian.Analytics.Tests;

/// <summary>DuckDB as an outside reader of the lake's files: what any tool pointed at them would see.</summary>
internal static class Duck
{
    /// <summary>Runs <paramref name="sql"/> in a fresh in-memory database with the named parameters; the rows as arrays.</summary>
    public static List<object?[]> Rows(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(new DuckDBParameter(name, value));
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
