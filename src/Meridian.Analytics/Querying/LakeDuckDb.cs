using System.Text;
using DuckDB.NET.Data;

namespace Meridian.Analytics.Querying;

/// <summary>
/// In-memory DuckDB connections over lake files, locked down before anything runs: they may read (and write) the paths
/// named and nothing else (<c>allowed_paths</c>, then <c>enable_external_access=false</c>: no other file, URL or
/// extension), and their configuration is then locked.
/// </summary>
internal static class LakeDuckDb
{
    /// <summary>
    /// A fresh connection that may touch <paramref name="paths"/> only. The paths are ours (cache names, or the local
    /// store's root and keys of the layout's pattern), quoted as SQL literals since SET takes no parameters.
    /// </summary>
    public static DuckDBConnection Open(IEnumerable<string> paths)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();
            var allowed = new StringBuilder("SET allowed_paths = [");
            allowed.AppendJoin(", ", paths.Select(Literal)).Append(']');
            foreach (var statement in new[]
            {
                "SET TimeZone = 'UTC'", allowed.ToString(), "SET enable_external_access = false", "SET autoinstall_known_extensions = false",
                "SET autoload_known_extensions = false", "SET lock_configuration = true",
            })
            {
                Execute(connection, statement);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether DuckDB reads every value of every column of the file: what tells a file with damaged pages (its footer
    /// whole, its data not) from a query at fault.
    /// </summary>
    public static bool ReadsWhole(string path)
    {
        try
        {
            using var connection = Open([path]);
            using var command = connection.CreateCommand();
            // hash() of every column decodes every page; a count would be answered from the footer alone.
            command.CommandText = "SELECT max(hash(COLUMNS(*))) FROM read_parquet($file)";
            command.Parameters.Add(new DuckDBParameter("file", path));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
            }
            return true;
        }
        catch (DuckDBException)
        {
            return false;
        }
    }

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static void Execute(DuckDBConnection connection, string statement)
    {
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        command.ExecuteNonQuery();
    }
}
