using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// The legacy 'crs' member of GeoJSON 2008, which RFC 7946 dropped but GDAL still writes for data that is not
/// CRS84: {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}.
/// </summary>
internal static partial class GeoJsonCrs
{
    private static readonly HashSet<string> Crs84Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "http://www.opengis.net/def/crs/OGC/0/CRS84", "OGC:CRS84", "CRS84",
    };

    /// <summary>The declared CRS; null for CRS84 (the GeoJSON default) or a null member.</summary>
    public static SourceCrs? Parse(ReadOnlySpan<byte> json)
    {
        string? name;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var crs = document.RootElement;
            if (crs.ValueKind == JsonValueKind.Null) return null;
            name = crs.ValueKind switch
            {
                // Not the 2008 specification, but seen in the wild: "crs": "EPSG:3857".
                JsonValueKind.String => crs.GetString(),
                JsonValueKind.Object when crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object &&
                    properties.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            name = null;
        }
        if (name is not null && Crs84Names.Contains(name)) return null;
        if (name is not null && EpsgName().Match(name) is { Success: true } match &&
            int.TryParse(match.Groups["code"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            // GeoJSON coordinates are longitude first whatever EPSG:4326's official axis order says.
            return code == 4326 ? null : SourceCrs.FromEpsg(code);
        }
        throw new SourceFormatException(
            $"the file declares the coordinate reference system '{name ?? "(unreadable)"}', which is not an EPSG code or CRS84; give the CRS as an option or reproject the file first (e.g. ogr2ogr -t_srs EPSG:4326).");
    }

    // EPSG:3857, urn:ogc:def:crs:EPSG::3857, urn:ogc:def:crs:EPSG:6.6:3857, http://www.opengis.net/def/crs/EPSG/0/3857
    [GeneratedRegex(@"^(?:EPSG:|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)(?<code>[0-9]{1,9})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgName();
}
