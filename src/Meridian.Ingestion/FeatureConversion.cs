using Meridian.Ingestion.Formats;
using System.Globalization;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage;
using Meridian.Storage.Schema;

namespace Meridian.Ingestion;

/// <summary>Fits a source feature's values to the inferred schema (dates parsed, numbers widened, the rest as text).</summary>
public static class FeatureConversion
{
    public static FeatureRecord ToRecord(SourceFeature feature, CollectionSchema schema, IReadOnlyList<string> sourceNames)
    {
        var values = new Dictionary<string, object?>(schema.Properties.Count, StringComparer.Ordinal);
        // Not ToDictionary: {"a":1,"a":2} is legal JSON and reaches us with both members; the last one wins.
        var source = new Dictionary<string, object?>(feature.Properties.Count, StringComparer.Ordinal);
        foreach (var (name, value) in feature.Properties) source[name] = value;
        for (var i = 0; i < schema.Properties.Count; i++)
        {
            if (source.TryGetValue(sourceNames[i], out var value))
                values[schema.Properties[i].Name] = Convert(value, schema.Properties[i].Type);
        }
        return new FeatureRecord(feature.Id, feature.Geometry, values);
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
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
