using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Meridian.Processing.Notifications;

/// <summary>
/// The <c>Meridian-Signature</c> header of a webhook delivery: <c>t=UNIX_SECONDS,v1=HEX</c>, where HEX is the
/// HMAC-SHA256, keyed with the subscription's secret, of the timestamp, a '.', and the exact body bytes. Receivers
/// recompute it, compare in constant time, and reject old timestamps to stop replays.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Meridian-Signature";

    public static string Create(string secret, DateTimeOffset time, ReadOnlySpan<byte> body)
    {
        var timestamp = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}";
    }

    /// <summary>Whether the header is a valid signature of the body made with the secret.</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body)
    {
        string? timestamp = null, signature = null;
        foreach (var part in header.Split(','))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)) timestamp = part[2..];
            else if (part.StartsWith("v1=", StringComparison.Ordinal)) signature = part[3..];
        }
        if (timestamp is null || signature is null || signature.Length != 64 || !signature.All(char.IsAsciiHexDigit)) return false;
        return CryptographicOperations.FixedTimeEquals(Mac(secret, timestamp, body), Convert.FromHexString(signature));
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
