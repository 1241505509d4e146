using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Storage;

namespace Meridian.Ingestion;

/// <summary>
/// Loads a GeoJSON file into a store in two streaming passes: the first infers the schema, the second
/// loads. Memory stays flat whatever the file size; the store's load is one transaction.
/// </summary>
public static class GeoJsonIngest
{
    public static async Task<long> IngestAsync(string path, string collectionId, IWritableFeatureStore store,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var inference = new SchemaInference();
        await using (var first = OpenRead(path))
        {
            await foreach (var feature in GeoJsonReader.ReadAsync(first, cancellationToken))
            {
                // Until loads report rejected records, one makes the whole load fail, as it did before readers yielded them.
                if (feature.Error is not null) throw new SourceFormatException($"feature {feature.Record}: {feature.Error}");
                inference.Observe(feature);
            }
        }
        var schema = inference.ToSchema(collectionId);
        return await store.LoadAsync(schema, Records(path, schema, inference.SourceNames, progress, cancellationToken), cancellationToken);
    }

    private static async IAsyncEnumerable<FeatureRecord> Records(string path, Storage.Schema.CollectionSchema schema, IReadOnlyList<string> names,
        IProgress<long>? progress, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = OpenRead(path);
        await foreach (var feature in GeoJsonReader.ReadAsync(stream, ct))
        {
            if (feature.Record % 10_000 == 0) progress?.Report(feature.Record);
            yield return FeatureConversion.ToRecord(feature, schema, names);
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
