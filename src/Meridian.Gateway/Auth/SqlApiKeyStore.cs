using System.Data.Common;
using Meridian.Hosting.Catalog;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Meridian.Gateway.Auth;

/// <summary>
/// Both adapters run the same parameterized SQL: the tables use only types SQLite and PostgreSQL share (times
/// as Unix milliseconds), so the adapters differ only in how they connect. The tables are created on first use.
/// The same database records which tenant owns which collection: who may see what is part of who is who.
/// </summary>
internal abstract class SqlApiKeyStore : IApiKeyStore, ICollectionOwners
{
    private const string Columns = "id, tenant, scopes, name, created_at, expires_at, revoked_at";
    private readonly Lazy<Task> _schema;

    protected SqlApiKeyStore() => _schema = new Lazy<Task>(CreateSchemaAsync);

    protected abstract DbConnection CreateConnection();

    public async Task AddAsync(ApiKeyRecord key, string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"INSERT INTO meridian_api_keys ({Columns}, key_hash) VALUES (@id, @tenant, @scopes, @name, @created, @expires, NULL, @hash)",
            ("id", key.Id), ("tenant", key.Tenant), ("scopes", string.Join(' ', key.Scopes)), ("name", key.Name),
            ("created", key.CreatedAt.ToUnixTimeMilliseconds()), ("expires", key.ExpiresAt?.ToUnixTimeMilliseconds()), ("hash", hash));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM meridian_api_keys WHERE key_hash = @hash", ("hash", hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns} FROM meridian_api_keys ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(Read(reader));
        return keys;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "UPDATE meridian_api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
            ("at", at.ToUnixTimeMilliseconds()), ("id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Every key with the hash it is found by: what a backup keeps, since a key is never stored itself.</summary>
    internal async Task<IReadOnlyList<(ApiKeyRecord Key, string Hash)>> ExportAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {Columns}, key_hash FROM meridian_api_keys ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<(ApiKeyRecord, string)>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add((Read(reader), reader.GetString(7)));
        return keys;
    }

    /// <summary>
    /// Adds a key from a backup, its revocation included, unless the store has a key of that id or hash already: that
    /// one is kept as it is, so a key revoked since the backup was taken stays revoked. False when it was kept.
    /// </summary>
    internal async Task<bool> ImportAsync(ApiKeyRecord key, string hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"INSERT INTO meridian_api_keys ({Columns}, key_hash) VALUES (@id, @tenant, @scopes, @name, @created, @expires, @revoked, @hash) ON CONFLICT DO NOTHING",
            ("id", key.Id), ("tenant", key.Tenant), ("scopes", string.Join(' ', key.Scopes)), ("name", key.Name),
            ("created", key.CreatedAt.ToUnixTimeMilliseconds()), ("expires", key.ExpiresAt?.ToUnixTimeMilliseconds()),
            ("revoked", key.RevokedAt?.ToUnixTimeMilliseconds()), ("hash", hash));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyDictionary<string, string>> OwnersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT collection_id, tenant FROM meridian_collection_tenants");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) owners[reader.GetString(0)] = reader.GetString(1);
        return owners;
    }

    public async Task SetOwnerAsync(string collectionId, string? tenant, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = tenant is null
            ? Command(connection, "DELETE FROM meridian_collection_tenants WHERE collection_id = @id", ("id", collectionId))
            : Command(connection, """
                INSERT INTO meridian_collection_tenants (collection_id, tenant) VALUES (@id, @tenant)
                ON CONFLICT (collection_id) DO UPDATE SET tenant = excluded.tenant
                """, ("id", collectionId), ("tenant", tenant));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task CreateSchemaAsync()
    {
        await using var connection = CreateConnection();
        await connection.OpenAsync();
        await using var command = Command(connection, """
            CREATE TABLE IF NOT EXISTS meridian_api_keys (
                id TEXT PRIMARY KEY,
                key_hash TEXT NOT NULL UNIQUE,
                tenant TEXT NOT NULL,
                scopes TEXT NOT NULL,
                name TEXT,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                revoked_at BIGINT);
            CREATE TABLE IF NOT EXISTS meridian_collection_tenants (
                collection_id TEXT PRIMARY KEY,
                tenant TEXT NOT NULL)
            """);
        await command.ExecuteNonQueryAsync();
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static ApiKeyRecord Read(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        reader.IsDBNull(3) ? null : reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}

/// <summary>The embedded adapter: DATA/keys.db.</summary>
internal sealed class SqliteApiKeyStore(string path) : SqlApiKeyStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();

    protected override DbConnection CreateConnection()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new SqliteConnection(_connectionString);
    }
}

/// <summary>The distributed adapter: a table in a PostgreSQL database every gateway replica shares.</summary>
internal sealed class PostgresApiKeyStore(string connectionString) : SqlApiKeyStore
{
    protected override DbConnection CreateConnection() => new NpgsqlConnection(connectionString);
}
