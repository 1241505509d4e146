using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Meridian.Backup;

/// <summary>
/// Writes a backup archive: a zip, each entry deflated as it is written (entries are written once, front to back, so the
/// output need not seek: a pipe to S3 will do), the manifest last, with the size and SHA-256 of every entry before it.
/// </summary>
internal sealed class ArchiveWriter : IAsyncDisposable
{
    private readonly ZipArchive _zip;
    private readonly List<ArchiveEntry> _entries = [];

    private ArchiveWriter(ZipArchive zip) => _zip = zip;

    public static async Task<ArchiveWriter> CreateAsync(Stream output, CancellationToken cancellationToken) =>
        new(await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken));

    /// <summary>Adds an entry whose content <paramref name="write"/> writes; returns what it returns.</summary>
    public async Task<T> WriteEntryAsync<T>(string name, Func<EntrySink, Task<T>> write, CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var stream = await entry.OpenAsync(cancellationToken);
        var sink = new EntrySink(stream);
        var result = await write(sink);
        _entries.Add(new ArchiveEntry(name, sink.Length, sink.Sha256()));
        return result;
    }

    public Task WriteEntryAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteEntryAsync(name, async sink =>
        {
            await sink.WriteAsync(content, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Writes the manifest, with the entries written so far, and the zip's central directory.</summary>
    public async Task CompleteAsync(BackupManifest manifest, CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry(BackupManifest.EntryName, CompressionLevel.Fastest);
        await using (var stream = await entry.OpenAsync(cancellationToken))
            await JsonSerializer.SerializeAsync(stream, manifest with { Entries = _entries }, BackupManifest.Json, cancellationToken);
        await _zip.DisposeAsync();
    }

    public ValueTask DisposeAsync() => _zip.DisposeAsync();
}

/// <summary>Where an entry's content goes: counted and hashed on its way into the zip.</summary>
internal sealed class EntrySink(Stream target)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        _hash.AppendData(bytes.Span);
        Length += bytes.Length;
        await target.WriteAsync(bytes, cancellationToken);
    }

    public string Sha256() => Convert.ToHexStringLower(_hash.GetHashAndReset());
}
