using Npgsql;

namespace Meridian.Testing;

/// <summary>
/// A fresh, uniquely named PostGIS database on the server named by MERIDIAN_TEST_POSTGRES, dropped on dispose,
/// so that tests running in parallel never see each other's tables.
/// </summary>
public sealed class PostGisTestDatabase : IAsyncDisposable
{
    public const string Variable = "MERIDIAN_TEST_POSTGRES";

    private readonly string _adminConnectionString;

    private PostGisTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostGisTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
            throw new InvalidOperationException($"{Variable} is not set: run scripts/test.sh, which starts a private PostgreSQL+PostGIS");

        var name = "meridian_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            // The name is ours (letters, digits, underscores); CREATE DATABASE takes no parameters.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        var database = new PostGisTestDatabase(admin, name, connectionString);
        await database.ExecuteAsync("CREATE EXTENSION postgis");
        return database;
    }

    /// <summary>Runs setup SQL (one or more statements) in the database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query that returns one value.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(connection);
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        // FORCE ends sessions a test left open, e.g. in a store's connection pool.
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
