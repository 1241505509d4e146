using Meridian.Hosting.Problems;
using Microsoft.AspNetCore.Http;

namespace Meridian.Hosting.Http;

/// <summary>
/// The <c>Idempotency-Key</c> request header (IETF draft-ietf-httpapi-idempotency-key-header): a client's key with which
/// a repeated request gets the job the first one started. A key names one request, so it must say something: an empty
/// key (a client's template with nothing filled in) would give every such request the first one's job and results,
/// and several keys would leave it open which one counts. Both are refused, as is a key longer than a job store indexes.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>Longer keys are refused: stores keep keys in a unique index, and a UUID or a hash is far shorter.</summary>
    public const int MaxLength = 255;

    /// <summary>The request's key, or null when it sent none; the 400 problem for an empty, repeated or overlong one.</summary>
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers[Header];
        if (values.Count == 0) return null;
        if (values.Count > 1) throw Invalid("Send one Idempotency-Key header, not several.");
        var key = values[0];
        if (string.IsNullOrWhiteSpace(key)) throw Invalid("The Idempotency-Key is empty: send a unique value (a UUID, say), or no header.");
        if (key.Length > MaxLength) throw Invalid($"The Idempotency-Key is longer than {MaxLength} characters.");
        return key;
    }

    private static ProblemException Invalid(string detail) => ProblemException.InvalidParameter(Header, detail);
}
