using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Meridian.Ingestion.Formats.FlatGeobuf;

/// <summary>
/// FlatGeobuf (.fgb, version 3), read from its specification (no package for it is on the mirror): magic
/// bytes, a size-prefixed FlatBuffers header (columns, CRS, feature count), an optional packed R-tree that a
/// sequential read skips, then size-prefixed features, read one at a time.
/// </summary>
internal sealed class FlatGeobufFormat : IFeatureFormat
{
    /// <summary>"fgb", major version 3, "fgb", then a patch version byte, which any value may hold.</summary>
    private static ReadOnlySpan<byte> Magic => [0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62];

    private const int MagicLength = 8;
    private const int MaxHeaderBytes = 64 * 1024 * 1024;
    private const int MaxFeatureBytes = 256 * 1024 * 1024;

    public string Name => "flatgeobuf";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) => head.StartsWith(Magic);

    public async Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        await using var stream = FeatureFormats.OpenRead(path);
        var header = await ReadHeaderAsync(stream, cancellationToken);
        var name = string.IsNullOrWhiteSpace(header.Name) ? FeatureFormats.LayerName(path) : header.Name;
        return new SourceFile([new SourceLayer(name, header.Crs, ct => ReadAsync(path, ct))]);
    }

    private static async Task<FlatGeobufHeader> ReadHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        var magic = new byte[MagicLength];
        if (await stream.ReadAtLeastAsync(magic, MagicLength, throwOnEndOfStream: false, cancellationToken) < MagicLength || !magic.AsSpan().StartsWith(Magic))
            throw new SourceFormatException("the file is not FlatGeobuf version 3 (its first bytes are not 'fgb\\x03fgb').");
        var size = await ReadSizeAsync(stream, "header", MaxHeaderBytes, cancellationToken)
            ?? throw new SourceFormatException("the FlatGeobuf file ends before its header.");
        var buffer = await ReadExactlyAsync(stream, size, "the header", cancellationToken);
        try
        {
            return FlatGeobufHeader.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new SourceFormatException($"the FlatGeobuf header is damaged: {e.Message}", e);
        }
    }

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = FeatureFormats.OpenRead(path);
        var header = await ReadHeaderAsync(stream, cancellationToken);
        var index = header.IndexBytes();
        if (index > stream.Length - stream.Position) throw new SourceFormatException("the FlatGeobuf file is truncated: it ends inside its spatial index.");
        stream.Seek(index, SeekOrigin.Current);
        var record = 0L;
        while (await ReadSizeAsync(stream, $"feature {record + 1}", MaxFeatureBytes, cancellationToken) is { } size)
        {
            record++;
            var buffer = await ReadExactlyAsync(stream, size, $"feature {record}", cancellationToken);
            yield return FlatGeobufFeature.Read(buffer, record, header);
        }
        // The count is 0 when the writer did not know it; otherwise fewer features means a cut file.
        if (header.FeaturesCount != 0 && (ulong)record != header.FeaturesCount)
            throw new SourceFormatException($"the FlatGeobuf file is truncated or damaged: its header announces {header.FeaturesCount} features, it holds {record}.");
    }

    /// <summary>A 32-bit little-endian size prefix; null at the very end of the file.</summary>
    private static async Task<int?> ReadSizeAsync(Stream stream, string what, int limit, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        var read = await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return null;
        if (read < 4) throw new SourceFormatException($"the FlatGeobuf file is truncated: it ends inside the size of {what}.");
        var size = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        return size is > 0 and <= (uint)int.MaxValue && size <= limit
            ? (int)size
            : throw new SourceFormatException($"the FlatGeobuf file is damaged: {what} claims {size:N0} bytes (the limit is {limit:N0}).");
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int size, string what, CancellationToken cancellationToken)
    {
        if (size > stream.Length - stream.Position) throw new SourceFormatException($"the FlatGeobuf file is truncated: it ends inside {what}.");
        var buffer = new byte[size];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
