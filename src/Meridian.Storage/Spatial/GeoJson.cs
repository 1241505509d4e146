using NetTopologySuite.Geometries;
using System.Text.Json;
using NetTopologySuite.IO.Converters;


namespace Meridian.Storage.Spatial;

/// <summary>GeoJSON geometry (de)serialization shared by every adapter, through NetTopologySuite's converters.</summary>
public static class GeoJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(GeometryServices.Factory));
        return options;
    }

    public static void Write(Utf8JsonWriter writer, Geometry? geometry)
    {
        if (geometry is null || geometry.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }
        JsonSerializer.Serialize(writer, geometry, Options);
    }

    public static Geometry? Parse(string json) => JsonSerializer.Deserialize<Geometry>(json, Options);
}
