using System.Runtime.CompilerServices;

namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>A GeoJSON FeatureCollection or lone Feature: one layer, in the CRS its legacy 'crs' member names (CRS84 when none).</summary>
internal sealed class GeoJsonFormat : IFeatureFormat
{
    public string Name => "geojson";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) => FileHead.TrimStart(head) is [(byte)'{', ..];

    public async Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        SourceCrs? crs;
        await using (var stream = FeatureFormats.OpenRead(path))
        {
            crs = await GeoJsonReader.ReadCrsAsync(stream, cancellationToken);
        }
        return new SourceFile([new SourceLayer(FeatureFormats.LayerName(path), crs, ct => ReadAsync(path, ct))]);
    }

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = FeatureFormats.OpenRead(path);
        await foreach (var feature in GeoJsonReader.ReadAsync(stream, cancellationToken)) yield return feature;
    }
}
