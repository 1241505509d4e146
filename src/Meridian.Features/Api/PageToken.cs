using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Meridian.Features.Formats;
using Meridian.Hosting.Problems;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;

namespace Meridian.Features.Api;

/// <summary>
/// The opaque <c>cursor</c> parameter of next/prev links, base64url-encoded: a direction and a feature id
/// (<c>a:42</c>), or with a sort the feature's sort values too, as a JSON array (<c>A:["42","Berlin"]</c>).
/// </summary>
public static class PageToken
{
    public const string Parameter = "cursor";

    public static string Encode(PageCursor cursor)
    {
        var text = cursor.SortValues.Count == 0
            ? (cursor.Backward ? "b:" : "a:") + cursor.Key
            : (cursor.Backward ? "B:" : "A:") + JsonSerializer.Serialize(cursor.SortValues.Select(Plain).Prepend(cursor.Key).ToArray());
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Reads a token made for this sort (none when <paramref name="sortBy"/> is empty); anything else is a 400.</summary>
    public static PageCursor Decode(string token, IReadOnlyList<SortProperty>? sortBy = null)
    {
        sortBy ??= [];
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.Length >= 2 && text[1] == ':')
            {
                if (text[0] is 'a' or 'b' && sortBy.Count == 0) return new PageCursor(text[2..], text[0] == 'b');
                if (text[0] is 'A' or 'B' && sortBy.Count > 0 && Sorted(text[2..], sortBy, text[0] == 'B') is { } cursor) return cursor;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
        }
        throw ProblemException.InvalidParameter(Parameter,
            "The cursor is not one this server made for this sortby: follow the next and prev links as they are.");
    }

    private static PageCursor? Sorted(string json, IReadOnlyList<SortProperty> sortBy, bool backward)
    {
        using var document = JsonDocument.Parse(json);
        var items = document.RootElement;
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() != sortBy.Count + 1 || items[0].ValueKind != JsonValueKind.String) return null;
        var values = sortBy.Select((key, i) => Typed(items[i + 1], key.Property.Type)).ToArray();
        return new PageCursor(items[0].GetString()!, backward) { SortValues = values };
    }

    /// <summary>A value as JSON holds it: dates and timestamps as their ISO text.</summary>
    private static object? Plain(object? value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => FeatureJson.FormatTime(t),
        _ => value,
    };

    /// <summary>A JSON value back as the type a store's reader gives for the property.</summary>
    private static object? Typed(JsonElement value, PropertyType type) => value.ValueKind == JsonValueKind.Null ? null : type switch
    {
        PropertyType.Integer => value.GetInt64(),
        PropertyType.Number => value.GetDouble(),
        PropertyType.Boolean => value.GetBoolean(),
        PropertyType.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        PropertyType.DateTime => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
        _ => value.GetString(),
    };
}
