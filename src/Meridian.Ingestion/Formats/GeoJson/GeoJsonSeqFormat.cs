using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Meridian.Ingestion.Formats.GeoJson;

/// <summary>
/// GeoJSON text sequences (RFC 8142, records led by an RS character) and newline-delimited GeoJSON
/// (.geojsonl, .ndjson): one Feature per record. A record that is not a Feature is rejected, the rest still read.
/// </summary>
internal sealed class GeoJsonSeqFormat : IFeatureFormat
{
    private const byte RecordSeparator = 0x1E;

    public string Name => "geojsonseq";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head)
    {
        var start = FileHead.TrimStart(head);
        if (start is [RecordSeparator, ..]) return true;
        if (start is not [(byte)'{', ..]) return false;
        if (FileHead.HasExtension(fileName, ".geojsonl", ".geojsons", ".geojsonseq", ".ndjson", ".jsonl")) return true;
        // Whatever the name: a complete object on the first line, and another object after it.
        var newline = start.IndexOf((byte)'\n');
        return newline > 0 && IsObject(start[..newline]) && FileHead.TrimStart(start[(newline + 1)..]) is [(byte)'{', ..];
    }

    private static bool IsObject(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken) =>
        Task.FromResult(new SourceFile([new SourceLayer(FeatureFormats.LayerName(path), null, ct => ReadAsync(path, ct))]));

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = FeatureFormats.OpenRead(path);
        // RFC 8142 sequences may pretty-print a feature over several lines: when the file starts with RS, only RS separates.
        var head = new byte[FeatureFormats.HeadBytes];
        var headLength = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = 0;
        byte[] separators = FileHead.TrimStart(head.AsSpan(0, headLength)) is [RecordSeparator, ..] ? [RecordSeparator] : [(byte)'\n', RecordSeparator];
        var records = new RecordSplitter(stream, GeoJsonReader.MaxFeatureBytes, separators);
        var record = 0L;
        var parser = new GeoJsonFeatureParser();
        while (await records.ReadAsync(cancellationToken) is { } line)
        {
            if (line.IsEmpty) continue;
            record++;
            yield return line.Oversized
                ? SourceFeature.Rejected(record, $"the record is larger than the {GeoJsonReader.MaxFeatureBytes / (1024 * 1024)} MiB limit.")
                : parser.Parse(line.Bytes.Span, record);
        }
    }
}
