using System.Globalization;
using Meridian.Ingestion.GeoJson;
using Meridian.Storage;
using Meridian.Storage.Schema;

namespace Meridian.Ingestion;

/// <summary>Fits a source feature's values to the inferred schema (dates parsed, numbers widened, the rest as text).</summary>
public static class FeatureConversion
{
    public static FeatureRecord ToRecord(SourceFeature feature, CollectionSchema schema, IReadOnlyList<string> sourceNames)
    {
        var values = new Dictionary<string, object?>(schema.Properties.Count, StringComparer.Ordinal);
        var source = feature.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
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
        (string s, PropertyType.Date) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        (string s, PropertyType.DateTime) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        (bool b, PropertyType.String) => b ? "true" : "false",
        (IFormattable f, PropertyType.String) => f.ToString(null, CultureInfo.InvariantCulture),
        (RawJson json, _) => json.Json,
        _ => value,
    };
}
