using System.Security.Cryptography;
using System.Text;

namespace Meridian.Gateway.Auth;

/// <summary>A stored API key: never the key itself, only its id (shown in listings and logs) and what it may do.</summary>
public sealed record ApiKeyRecord(
    string Id, string Tenant, IReadOnlyList<string> Scopes, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>
/// Key material: "mrd_" + a public id + "_" + 256 random bits. Only the SHA-256 of the whole key is stored;
/// with that much entropy a plain hash is as good as a slow one, and lookups stay one index probe.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "mrd_";

    public static (string Id, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>The scopes a key or token can carry.</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Read, Write, Admin];
}
