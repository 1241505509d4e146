using System.Globalization;

namespace Meridian.Features.Cql2;

/// <summary>The date and timestamp strings of CQL2: <c>2022-04-16</c> and <c>2022-04-16T10:13:19[.fff…]Z</c>.</summary>
internal static class Cql2Instants
{
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        & text.Length == 10;

    /// <summary>UTC only ('Z'); any number of fraction digits, of which the first seven (100 ns) are kept.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length < 20 || text[^1] != 'Z' || text[10] != 'T') return false;
        if (!DateTime.TryParseExact(text[..19], "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var seconds))
        {
            return false;
        }
        var fraction = text[19..^1];
        long ticks = 0;
        if (!fraction.IsEmpty)
        {
            if (fraction[0] != '.' || fraction.Length == 1) return false;
            var digits = fraction[1..];
            for (var i = 0; i < digits.Length; i++)
            {
                if (digits[i] is < '0' or > '9') return false;
                if (i < 7) ticks = ticks * 10 + (digits[i] - '0');
            }
            for (var i = digits.Length; i < 7; i++) ticks *= 10;
        }
        timestamp = new DateTimeOffset(DateTime.SpecifyKind(seconds, DateTimeKind.Utc).AddTicks(ticks), TimeSpan.Zero);
        return true;
    }

    /// <summary>A date or timestamp string as a literal, or null when it is neither.</summary>
    public static Storage.Filtering.Literal? ParseInstant(string text) =>
        TryParseDate(text, out var date) ? new Storage.Filtering.DateLiteral(date)
        : TryParseTimestamp(text, out var timestamp) ? new Storage.Filtering.TimestampLiteral(timestamp)
        : null;
}
