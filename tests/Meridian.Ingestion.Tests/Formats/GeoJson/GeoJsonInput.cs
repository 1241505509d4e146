using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Testing;

namespace Meridian.Ingestion.Tests.Formats.GeoJson;

/// <summary>Runs <see cref="GeoJsonReader"/> over files, strings and byte arrays for the tests.</summary>
internal static class GeoJsonInput
{
    public static async Task<List<SourceFeature>> ReadAllAsync(Stream stream)
    {
        var features = new List<SourceFeature>();
        await foreach (var feature in GeoJsonReader.ReadAsync(stream, CancellationToken.None)) features.Add(feature);
        return features;
    }

    public static async Task<List<SourceFeature>> ReadFileAsync(string relativePath)
    {
        await using var stream = OpenData(relativePath);
        return await ReadAllAsync(stream);
    }

    public static Task<List<SourceFeature>> ReadTextAsync(string json) => ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    public static Task<List<SourceFeature>> ReadBytesAsync(byte[] bytes) => ReadAllAsync(new MemoryStream(bytes));

    public static FileStream OpenData(string relativePath) =>
        new(TestData.Path(relativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);

    /// <summary>A FeatureCollection of the given feature objects (JSON text).</summary>
    public static string Collection(params string[] features) =>
        "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    public static string PointFeature(string properties, string coordinates = "[1.5,2.5]", string? id = null) =>
        "{\"type\":\"Feature\"" + (id is null ? "" : ",\"id\":" + id) +
        ",\"geometry\":{\"type\":\"Point\",\"coordinates\":" + coordinates + "},\"properties\":" + properties + "}";
}
