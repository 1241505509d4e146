using Meridian.Ingestion.Formats;
using System.Globalization;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;

namespace Meridian.Ingestion;

/// <summary>Fits a source feature's values to the inferred schema (dates parsed, numbers widened, the rest as text).</summary>
public static class FeatureConversion
{
    public static FeatureRecord ToRecord(SourceFeature feature, CollectionSchema schema, IReadOnlyList<string> sourceNames) =>
        new Fitting(schema, sourceNames).ToRecord(feature);

    /// <summary>The fitting of one load's records to its schema, with the lookup from file names to columns built once.</summary>
    internal sealed class Fitting
    {
        private readonly CollectionSchema _schema;
        private readonly Dictionary<string, int> _columns;
        private readonly bool _fillHeights;

        /// <param name="schema">The load's schema, inferred from the file.</param>
        /// <param name="sourceNames">The file's property names, in schema order.</param>
        /// <param name="fillHeights">
        /// Whether a schema with heights gives 2D geometries a height of 0 here. An append leaves that to the store
        /// (<see cref="Storage.Writing.LoadedDimension"/>), which goes by the collection's dimension, not the file's:
        /// it gives them 0 in a collection with heights, and refuses the first geometry that really has heights in a
        /// 2D one, which it could not name if every geometry of the file had been given heights here.
        /// </param>
        public Fitting(CollectionSchema schema, IReadOnlyList<string> sourceNames, bool fillHeights = true)
        {
            _schema = schema;
            _fillHeights = fillHeights;
            _columns = new Dictionary<string, int>(sourceNames.Count, StringComparer.Ordinal);
            for (var i = 0; i < sourceNames.Count; i++) _columns[sourceNames[i]] = i;
        }

        public FeatureRecord ToRecord(SourceFeature feature)
        {
            var values = new Dictionary<string, object?>(_schema.Properties.Count, StringComparer.Ordinal);
            foreach (var (name, value) in feature.Properties)
            {
                // {"a":1,"a":2} is legal JSON and reaches us with both members; the last one wins.
                if (!_columns.TryGetValue(name, out var i)) continue;
                var property = _schema.Properties[i];
                values[property.Name] = Convert(value, property.Type);
            }
            // A layer with heights gives its 2D geometries a height of 0 (see SchemaInference), whichever the store.
            var geometry = _fillHeights && _schema.HasZ && feature.Geometry is { } g ? Heights.Fill(g) : feature.Geometry;
            return new FeatureRecord(feature.Id, geometry, values);
        }
    }

    private static object? Convert(object? value, PropertyType type) => (value, type) switch
    {
        (null, _) => null,
        (long l, PropertyType.Number) => (double)l,
        (string s, PropertyType.Date) when TryParseDate(s, out var date) => date,
        (string s, PropertyType.DateTime) when TryParseDateTime(s, out var time) => time,
        (bool b, PropertyType.String) => b ? "true" : "false",
        (IFormattable f, PropertyType.String) => f.ToString(null, CultureInfo.InvariantCulture),
        (RawJson json, _) => json.Json,
        _ => value,
    };

    /// <summary>The date form schema inference accepts, so that every value it typed as a date converts.</summary>
    internal static bool TryParseDate(string s, out DateOnly date) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The date-time form schema inference accepts; no zone means UTC.</summary>
    internal static bool TryParseDateTime(string s, out DateTimeOffset time) =>
        TryParseUtcTimestamp(s, out time)
        || DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>
    /// <c>yyyy-MM-ddTHH:mm:ss[.f…]Z</c> (up to 7 decimals), the form most files write, read without the general
    /// parser, which took most of the time inference and conversion spend on date-times. It gives what the general
    /// parser gives; anything else (another form, a value out of range, a leap second) is left to that parser.
    /// </summary>
    internal static bool TryParseUtcTimestamp(string s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 20 || s.Length == 21 || s.Length > 28 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z')
            return false;
        if (!TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
            return false;
        var ticks = 0;
        if (s.Length > 20)
        {
            var decimals = s.Length - 21;
            if (s[19] != '.' || !TryDigits(s, 20, decimals, out ticks)) return false;
            for (var i = decimals; i < 7; i++) ticks *= 10;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks);
        return true;
    }

    private static bool TryDigits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = s[i] - '0';
            if ((uint)digit > 9) return false;
            value = value * 10 + digit;
        }
        return true;
    }
}
