using System.Globalization;

namespace Meridian.Ingestion.Formats;

/// <summary>Values that come as text (CSV cells, KML Data, GPX extensions) typed as they read: integers as long, decimals as double, the rest as text; empty is null.</summary>
internal static class TextValues
{
    public static object? Parse(string value)
    {
        if (value.Length == 0) return null;
        // "007" is a code, not the number 7: leading zeros stay text, as spreadsheets keep them only in text cells.
        var leadingZero = value.Length > 1 && value[0] == '0' && char.IsAsciiDigit(value[1]) ||
                          value.Length > 2 && value[0] == '-' && value[1] == '0' && char.IsAsciiDigit(value[2]);
        if (leadingZero) return value;
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) &&
            double.IsFinite(d) && char.IsAsciiDigit(value[^1]))
            return d;
        return value;
    }
}
