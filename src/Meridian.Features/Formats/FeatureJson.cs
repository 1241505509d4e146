using System.Globalization;
using System.Text.Json;
using Meridian.Features.Api;
using Meridian.Storage;
using Meridian.Storage.Schema;

namespace Meridian.Features.Formats;

/// <summary>Writes GeoJSON features straight from a store's reader to a <see cref="Utf8JsonWriter"/>.</summary>
public static class FeatureJson
{
    /// <param name="properties">The properties to write (the <c>properties</c> parameter), or null for all.</param>
    public static void WriteFeature(Utf8JsonWriter writer, IFeatureReader reader, CollectionSchema schema, IEnumerable<Link>? links = null,
        IReadOnlyList<string>? properties = null)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        // Integer ids are written as numbers: GDAL then keeps them as the feature id (FID).
        if (schema.IdKind == FeatureIdKind.Integer && long.TryParse(reader.Id, out var numericId)) writer.WriteNumber("id", numericId);
        else writer.WriteString("id", reader.Id);
        writer.WritePropertyName("geometry");
        reader.WriteGeometry(writer);
        writer.WriteStartObject("properties");
        for (var i = 0; i < schema.Properties.Count; i++)
        {
            if (properties is not null && !properties.Contains(schema.Properties[i].Name, StringComparer.Ordinal)) continue;
            writer.WritePropertyName(schema.Properties[i].Name);
            WriteValue(writer, reader.GetValue(i));
        }
        writer.WriteEndObject();
        if (links is not null) WriteLinks(writer, links);
        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case double: writer.WriteNullValue(); break; // JSON has no NaN or Infinity
            case bool b: writer.WriteBooleanValue(b); break;
            case DateOnly date: writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset time: writer.WriteStringValue(FormatTime(time)); break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static void WriteLinks(Utf8JsonWriter writer, IEnumerable<Link> links)
    {
        writer.WriteStartArray("links");
        foreach (var link in links)
        {
            writer.WriteStartObject();
            writer.WriteString("href", link.Href);
            writer.WriteString("rel", link.Rel);
            writer.WriteString("type", link.Type);
            if (link.Title is not null) writer.WriteString("title", link.Title);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
