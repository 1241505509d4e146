using System.Security.Cryptography;
using System.Text;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Meridian.Hosting.Security;

/// <summary>
/// The credential every write needs until the gateway authenticates requests: an API key from
/// <c>Meridian:Security:ApiKeys</c>, sent as <c>Authorization: Bearer KEY</c> or <c>X-API-Key: KEY</c>. Keys are
/// held as SHA-256 hashes and compared in constant time; they are never logged. Without any key configured
/// every write is refused: secure by default. Reads stay anonymous.
/// </summary>
public sealed class WriteAccess
{
    public const string ApiKeyHeader = "X-API-Key";
    private const string Challenge = "Bearer realm=\"meridian\"";

    private readonly byte[][] _hashes;

    public WriteAccess(MeridianOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hashes = options.Security.ApiKeys.Select(Hash).ToArray();
    }

    /// <summary>
    /// Throws the 401 or 403 problem unless the request carries a configured key, or the gateway's policies
    /// (<c>Gateway:Auth</c>) authenticated it with the write or admin scope: then they have already decided.
    /// </summary>
    public void Require(HttpContext context)
    {
        if (HasWriteScope(context.User)) return;
        if (_hashes.Length == 0)
        {
            throw new ProblemException(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Writes are disabled",
                "This server has no write credential configured. Set Meridian:Security:ApiKeys (e.g. the environment variable "
                + "MERIDIAN__Security__ApiKeys__0) to a key of at least 16 characters, or to sha256: and its hex SHA-256 hash.");
        }
        var presented = Presented(context.Request);
        if (presented is null)
            throw Unauthorized("Writes need an API key: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'.", Challenge);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        // Every configured hash is compared, in constant time, so that timing tells nothing about which or how much matched.
        var match = false;
        foreach (var known in _hashes) match |= CryptographicOperations.FixedTimeEquals(hash, known);
        if (!match) throw Unauthorized("The API key is not valid.", Challenge + ", error=\"invalid_token\"");
    }

    /// <summary>
    /// Whether a write could be let through for this request: a key is configured, or the gateway authenticated the
    /// caller with the write scope. What OPTIONS lists in Allow (with no key configured every write is a 403).
    /// </summary>
    public bool AcceptsWrites(HttpContext context) => _hashes.Length > 0 || HasWriteScope(context.User);

    private static bool HasWriteScope(System.Security.Claims.ClaimsPrincipal user) => GrantedScopes.Has(user, "write") || GrantedScopes.IsAdmin(user);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers[ApiKeyHeader] is [{ Length: > 0 } key]) return key;
        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) && authorization.Length > Bearer.Length
            ? authorization[Bearer.Length..].Trim()
            : null;
    }

    private static ProblemException Unauthorized(string detail, string challenge)
    {
        var problem = new ProblemException(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized", detail);
        problem.Headers[HeaderNames.WWWAuthenticate] = challenge;
        return problem;
    }

    private static byte[] Hash(string configured) =>
        configured.StartsWith(SecurityOptions.HashPrefix, StringComparison.OrdinalIgnoreCase)
            ? Convert.FromHexString(configured[SecurityOptions.HashPrefix.Length..])
            : SHA256.HashData(Encoding.UTF8.GetBytes(configured));
}
