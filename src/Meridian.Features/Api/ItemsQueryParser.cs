using System.Globalization;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Problems;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Microsoft.AspNetCore.Http;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Api;

/// <summary>
/// Reads the query string of <c>/collections/{id}/items</c> into a <see cref="FeatureQuery"/>. Every
/// parameter is checked: a bad value or a name that is neither standard nor a queryable property is a 400.
/// </summary>
public static class ItemsQueryParser
{
    public const string Crs84 = CrsRegistry.Crs84Uri;

    public const string SortBy = "sortby";
    public const string Properties = "properties";

    private static readonly HashSet<string> Standard =
        ["f", "bbox", CrsParameters.BboxCrs, CrsParameters.Crs, "datetime", "limit", PageToken.Parameter, SortBy, Properties, .. FilterParameters.Names];

    /// <summary>Whether a query parameter name has a standard meaning on items, whatever the collection's properties.</summary>
    public static bool IsStandardParameter(string name) => Standard.Contains(name);

    public static FeatureQuery Parse(IQueryCollection query, CollectionSchema schema, FeaturesOptions options)
    {
        var equalities = new List<PropertyEquals>();
        foreach (var (name, values) in query)
        {
            if (values.Count > 1) throw ProblemException.InvalidParameter(name, $"'{name}' is given {values.Count} times; give it once.");
            if (Standard.Contains(name)) continue;
            var property = schema.FindProperty(name);
            if (property is not { IsQueryable: true })
                throw ProblemException.InvalidParameter(name, $"'{name}' is neither a parameter of this resource nor a queryable property of '{schema.Id}'.");
            equalities.Add(new PropertyEquals(property, ParseValue(name, values.ToString(), property.Type)));
        }

        var bboxCrs = CrsParameters.Parse(query, CrsParameters.BboxCrs);
        var sortBy = query.TryGetValue(SortBy, out var sort) ? ParseSortBy(sort.ToString(), schema) : [];
        return new FeatureQuery
        {
            Filter = FilterParameters.Parse(query, schema),
            SortBy = sortBy,
            Properties = query.TryGetValue(Properties, out var properties) ? ParseProperties(properties.ToString(), schema) : null,
            BoundingBoxes = query.TryGetValue("bbox", out var bbox) ? ParseBbox(bbox.ToString(), bboxCrs) : [],
            OutputCrs = CrsParameters.Parse(query, CrsParameters.Crs),
            Time = query.TryGetValue("datetime", out var datetime) ? ParseDatetime(datetime.ToString()) : null,
            Equalities = equalities,
            Limit = ParseLimit(query, options),
            Cursor = query.TryGetValue(PageToken.Parameter, out var cursor) ? PageToken.Decode(cursor.ToString(), sortBy) : null,
        };
    }

    /// <summary><c>sortby=name,-pop</c>: queryable properties, each ascending or with <c>+</c>/<c>-</c> for the direction.</summary>
    public static IReadOnlyList<SortProperty> ParseSortBy(string text, CollectionSchema schema)
    {
        var keys = new List<SortProperty>();
        foreach (var item in text.Split(','))
        {
            var name = item.Trim();
            var descending = name.StartsWith('-');
            if (name.StartsWith('+') || descending) name = name[1..];
            if (schema.FindProperty(name) is not { IsQueryable: true } property)
                throw ProblemException.InvalidParameter(SortBy, $"sortby names '{name}', which is not a queryable property of '{schema.Id}'.");
            if (keys.Any(k => k.Property.Name == name))
                throw ProblemException.InvalidParameter(SortBy, $"sortby names '{name}' twice.");
            keys.Add(new SortProperty(property, descending));
        }
        return keys;
    }

    /// <summary><c>properties=a,b</c>: the properties each feature carries; empty for none.</summary>
    public static IReadOnlyList<string> ParseProperties(string text, CollectionSchema schema)
    {
        var names = text.Length == 0 ? [] : text.Split(',').Select(n => n.Trim()).ToList();
        foreach (var name in names.Where(n => schema.FindProperty(n) is null))
            throw ProblemException.InvalidParameter(Properties, $"properties names '{name}', which is not a property of '{schema.Id}'.");
        return names;
    }

    private static int ParseLimit(IQueryCollection query, FeaturesOptions options)
    {
        if (!query.TryGetValue("limit", out var text)) return Math.Min(options.DefaultLimit, options.MaxLimit);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            // An overlong run of digits is still a positive integer: lower it to the maximum like any large value.
            if (text.ToString() is { Length: > 0 } digits && digits.All(char.IsAsciiDigit) && digits.TrimStart('0').Length > 0) return options.MaxLimit;
            throw ProblemException.InvalidParameter("limit", $"limit must be a whole number from 1 to {options.MaxLimit}, not '{text}'.");
        }
        return Math.Min(limit, options.MaxLimit);
    }

    /// <summary>
    /// minLon,minLat,maxLon,maxLat (or the 6-number 3D form), in <paramref name="crs"/> (CRS84 by default) and its
    /// axis order, as CRS84 boxes. A geographic box whose west edge is east of its east edge crosses the
    /// antimeridian and becomes two boxes; a projected box becomes the CRS84 boxes that cover it.
    /// </summary>
    public static IReadOnlyList<Envelope> ParseBbox(string text, Crs? crs = null)
    {
        crs ??= CrsRegistry.Crs84;
        var parts = text.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
                throw ProblemException.InvalidParameter("bbox", $"'{parts[i]}' in bbox is not a number.");
        }
        var (lower, upper) = numbers.Length switch
        {
            4 => (crs.ToEastNorth(numbers[0], numbers[1]), crs.ToEastNorth(numbers[2], numbers[3])),
            6 => (crs.ToEastNorth(numbers[0], numbers[1]), crs.ToEastNorth(numbers[3], numbers[4])),
            _ => throw ProblemException.InvalidParameter("bbox", $"bbox takes 4 numbers (or 6 with heights), not {numbers.Length}."),
        };
        return crs.IsGeographic ? GeographicBox(lower, upper) : ProjectedBox(crs, lower, upper);
    }

    /// <summary>
    /// A box in longitude and latitude. The geographic CRSs Meridian carries (WGS 84, ETRS89, NAD83) share WGS 84's
    /// coordinates to well under a metre, so only the axis order sets them apart here.
    /// </summary>
    private static IReadOnlyList<Envelope> GeographicBox((double X, double Y) lower, (double X, double Y) upper)
    {
        var ((west, south), (east, north)) = (lower, upper);
        if (west is < -180 or > 180 || east is < -180 or > 180)
            throw ProblemException.InvalidParameter("bbox", "bbox longitudes must lie between -180 and 180.");
        if (south is < -90 or > 90 || north is < -90 or > 90)
            throw ProblemException.InvalidParameter("bbox", "bbox latitudes must lie between -90 and 90.");
        if (south > north)
            throw ProblemException.InvalidParameter("bbox", "bbox's southern edge is north of its northern edge (the lower corner comes first, in the axis order of bbox-crs).");
        return west <= east
            ? [new Envelope(west, east, south, north)]
            : [new Envelope(west, 180, south, north), new Envelope(-180, east, south, north)];
    }

    private static IReadOnlyList<Envelope> ProjectedBox(Crs crs, (double X, double Y) lower, (double X, double Y) upper)
    {
        if (lower.X > upper.X || lower.Y > upper.Y)
            throw ProblemException.InvalidParameter("bbox", "bbox's lower corner must come first, then its upper corner, in the axis order of bbox-crs.");
        try
        {
            return crs.BoxToCrs84(new Envelope(lower.X, upper.X, lower.Y, upper.Y));
        }
        catch (ArgumentException)
        {
            throw ProblemException.InvalidParameter("bbox", $"bbox reaches outside the area {crs.Uri} can express.");
        }
    }

    /// <summary>An RFC 3339 instant or interval with ".." or empty for open ends; a bare date means that whole day (UTC).</summary>
    public static TimeInterval? ParseDatetime(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            var (start, end) = ParseInstant(text.Trim());
            return new TimeInterval(start, end);
        }
        var startText = text[..slash].Trim();
        var endText = text[(slash + 1)..].Trim();
        if (endText.Contains('/')) throw ProblemException.InvalidParameter("datetime", "datetime has more than one '/'.");
        DateTimeOffset? from = IsOpen(startText) ? null : ParseInstant(startText).Start;
        DateTimeOffset? to = IsOpen(endText) ? null : ParseInstant(endText).End;
        if (from > to) throw ProblemException.InvalidParameter("datetime", "datetime interval ends before it starts.");
        return from is null && to is null ? null : new TimeInterval(from, to);
    }

    private static bool IsOpen(string s) => s is "" or "..";

    private static (DateTimeOffset Start, DateTimeOffset End) ParseInstant(string s)
    {
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // The day's last tick rather than the next midnight less one: 9999-12-31 has no next midnight.
            return (new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(date.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero));
        }
        if (s.Length >= 19 && s[4] == '-' && s[10] is 'T' or 't' or ' ')
        {
            // RFC 3339 allows a leap second (23:59:60), which .NET cannot hold: read as the last tick of the second before.
            var leap = s.AsSpan(16, 3) is ":60";
            var text = leap ? string.Concat(s.AsSpan(0, 17), "59", s.AsSpan(19)) : s;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            {
                if (leap) instant = instant.AddTicks(TimeSpan.TicksPerSecond - 1 - instant.Ticks % TimeSpan.TicksPerSecond);
                return (instant, instant);
            }
        }
        throw ProblemException.InvalidParameter("datetime",
            $"datetime '{s}' is not an RFC 3339 date or date-time from 0001-01-01 to 9999-12-31 UTC (e.g. 2024-05-01 or 2024-05-01T12:00:00Z).");
    }

    public static object ParseValue(string parameter, string text, PropertyType type)
    {
        object? value = type switch
        {
            PropertyType.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
            PropertyType.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
            PropertyType.Boolean => text.ToLowerInvariant() switch { "true" or "1" => true, "false" or "0" => false, _ => null },
            PropertyType.Date => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            PropertyType.DateTime => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null,
            _ => text,
        };
        return value ?? throw ProblemException.InvalidParameter(parameter, $"'{text}' is not a valid {type.ToString().ToLowerInvariant()} for property '{parameter}'.");
    }
}
