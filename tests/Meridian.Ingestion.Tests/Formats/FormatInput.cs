using System.Text;
using Meridian.Ingestion.Formats;
using Meridian.Testing;

namespace Meridian.Ingestion.Tests.Formats;

/// <summary>Opens files as the ingestion does (detect, open, read every layer) for the format tests.</summary>
internal static class FormatInput
{
    public sealed record ReadLayer(SourceLayer Layer, List<SourceFeature> Features)
    {
        public string Name => Layer.Name;

        public IEnumerable<SourceFeature> Accepted => Features.Where(f => f.Error is null);

        public IEnumerable<SourceFeature> Rejected => Features.Where(f => f.Error is not null);
    }

    /// <summary>Detects the format of a file under the shared data folder and reads all of it.</summary>
    public static Task<List<ReadLayer>> ReadDataAsync(string relativePath, SourceOptions? options = null) =>
        ReadAsync(TestData.Path(relativePath), options);

    public static async Task<List<ReadLayer>> ReadAsync(string path, SourceOptions? options = null, IFeatureFormat? format = null)
    {
        format ??= FeatureFormats.Detect(path);
        await using var file = await format.OpenAsync(path, options ?? new SourceOptions(), CancellationToken.None);
        var layers = new List<ReadLayer>();
        foreach (var layer in file.Layers)
        {
            var features = new List<SourceFeature>();
            await foreach (var feature in layer.ReadAsync(CancellationToken.None)) features.Add(feature);
            layers.Add(new ReadLayer(layer, features));
        }
        return layers;
    }

    public static object? Property(this SourceFeature feature, string name) =>
        feature.Properties.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A temporary folder for files a test writes; deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("meridian-formats-").FullName;

    public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
