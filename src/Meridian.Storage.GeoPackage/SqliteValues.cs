using System.Globalization;
using Meridian.Storage.Schema;
using Microsoft.Data.Sqlite;

namespace Meridian.Storage.GeoPackage;

/// <summary>
/// Converts between SQLite's dynamic values and the port's typed values. SQLite lets any column hold any
/// value, so reads are lenient: a value that does not fit its declared type comes back as text rather than failing.
/// </summary>
internal static class SqliteValues
{
    public static PropertyType TypeOf(string declared)
    {
        var t = declared.ToUpperInvariant();
        var paren = t.IndexOf('(');
        if (paren >= 0) t = t[..paren];
        return t.Trim() switch
        {
            "INTEGER" or "INT" or "MEDIUMINT" or "SMALLINT" or "TINYINT" or "BIGINT" => PropertyType.Integer,
            "REAL" or "DOUBLE" or "FLOAT" or "NUMERIC" => PropertyType.Number,
            "BOOLEAN" => PropertyType.Boolean,
            "TEXT" or "VARCHAR" or "CHAR" or "CLOB" => PropertyType.String,
            "DATE" => PropertyType.Date,
            "DATETIME" or "TIMESTAMP" => PropertyType.DateTime,
            _ => PropertyType.Other,
        };
    }

    /// <summary>The n of a declared TEXT(n) or VARCHAR(n), the most characters GeoPackage says the column holds.</summary>
    public static int? LengthOf(string declared)
    {
        var open = declared.IndexOf('(');
        return open > 0 && TypeOf(declared) == PropertyType.String && declared.EndsWith(')')
            && int.TryParse(declared.AsSpan(open + 1, declared.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0
            ? length
            : null;
    }

    public static object? Read(SqliteDataReader reader, int ordinal, PropertyType type)
    {
        if (reader.IsDBNull(ordinal)) return null;
        var raw = reader.GetValue(ordinal);
        return type switch
        {
            PropertyType.Integer when raw is long l => l,
            PropertyType.Number when raw is double or long => Convert.ToDouble(raw, CultureInfo.InvariantCulture),
            PropertyType.Boolean when raw is long b => b != 0,
            PropertyType.Date when raw is string s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
            PropertyType.DateTime when raw is string s && TryParseTimestamp(s, out var ts) => ts,
            _ => raw is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(raw, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>GeoPackage wants "YYYY-MM-DDTHH:MM:SS.SSSZ"; files in the wild omit the Z or the fraction, taken as UTC.</summary>
    public static bool TryParseTimestamp(string s, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A typed port value as SQLite stores it for a column of this type; throws when it does not fit.</summary>
    public static object ToStorage(object? value, PropertyType type) => value switch
    {
        null => DBNull.Value,
        _ => type switch
        {
            PropertyType.Integer => value switch
            {
                long or int or short or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
                _ => throw Mismatch(value, type),
            },
            PropertyType.Number => value switch
            {
                double or float or long or int or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                _ => throw Mismatch(value, type),
            },
            PropertyType.Boolean => value is bool b ? (b ? 1L : 0L) : throw Mismatch(value, type),
            PropertyType.Date => value switch
            {
                DateOnly d => FormatDate(d),
                DateTimeOffset t => FormatDate(DateOnly.FromDateTime(t.UtcDateTime)),
                _ => throw Mismatch(value, type),
            },
            PropertyType.DateTime => value switch
            {
                DateTimeOffset t => FormatTimestamp(t),
                DateOnly d => FormatTimestamp(new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
                _ => throw Mismatch(value, type),
            },
            _ => value switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                DateOnly d => FormatDate(d),
                DateTimeOffset t => FormatTimestamp(t),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            },
        },
    };

    private static InvalidDataException Mismatch(object value, PropertyType type) =>
        new($"value '{value}' is not of type {type.ToString().ToLowerInvariant()}");
}
