namespace Meridian.Gateway.Auth;

/// <summary>The API key port: an embedded SQLite adapter (DATA/keys.db) and a PostgreSQL one, one contract suite for both.</summary>
public interface IApiKeyStore
{
    Task AddAsync(ApiKeyRecord key, string hash, CancellationToken cancellationToken = default);

    Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Revokes a key; false when there is no such key or it was already revoked.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);
}
