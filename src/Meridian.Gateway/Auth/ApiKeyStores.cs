using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.Auth;

/// <summary>Chooses the key store from the options: PostgreSQL when Gateway:Auth:KeysConnectionString (an Npgsql keyword string) is set, else DATA/keys.db.</summary>
public static class ApiKeyStores
{
    public static IApiKeyStore Create(MeridianOptions options) => CreateSql(options);

    internal static SqlApiKeyStore CreateSql(MeridianOptions options) =>
        options.Gateway.Auth.KeysConnectionString is { Length: > 0 } connectionString
            ? new PostgresApiKeyStore(connectionString)
            : new SqliteApiKeyStore(Path.Combine(options.Data, "keys.db"));
}
