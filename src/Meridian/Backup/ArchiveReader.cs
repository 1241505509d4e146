using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Meridian.Storage.Objects;

namespace Meridian.Backup;

/// <summary>
/// Opens a backup archive and refuses it, with what is wrong, before a restore writes anything: not a zip or cut short
/// (no central directory), an entry name no archive has (a path such as <c>../../etc/x</c>), no manifest, a manifest of
/// a newer format or that does not add up, an entry missing, unlisted, larger or smaller than listed, inflating like a
/// zip bomb, or whose SHA-256 differs. Sizes are counted as entries inflate, never taken from the zip's headers.
/// Checksums find damage and truncation; they cannot prove who wrote an archive (a forger rewrites the manifest too), so
/// archives belong where only operators can write.
/// </summary>
internal sealed class ArchiveReader : IAsyncDisposable
{
    /// <summary>Far more than any manifest needs (a line per collection and document), far less than memory.</summary>
    private const long MaxManifestBytes = 64L << 20;

    /// <summary>Entries smaller than this are not held to the ratio: a few KiB compress beyond any ratio and cost nothing.</summary>
    private const long RatioFloorBytes = 1 << 20;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _files;
    private readonly string _name;

    private ArchiveReader(string name, ZipArchive zip, Dictionary<string, ZipArchiveEntry> files, BackupManifest manifest)
    {
        _name = name;
        _zip = zip;
        _files = files;
        Manifest = manifest;
    }

    public BackupManifest Manifest { get; }

    /// <summary>Opens the archive and checks its entry names and its manifest (not yet the entries' contents: <see cref="VerifyAsync"/>).</summary>
    /// <param name="name">How messages name the archive (its path or URL).</param>
    public static async Task<ArchiveReader> OpenAsync(string path, string name, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            await stream.DisposeAsync();
            throw new BackupArchiveException($"{name} is not a Meridian backup, or it was cut short: it is no complete zip archive ({e.Message})", e);
        }
        try
        {
            var files = Files(zip, name);
            var manifest = await ReadManifestAsync(files, name, cancellationToken);
            Check(manifest, files, name);
            return new ArchiveReader(name, zip, files, manifest);
        }
        catch
        {
            await zip.DisposeAsync();
            throw;
        }
    }

    /// <summary>The zip's entries by name; a name that is not a plain relative path of safe segments refuses the archive.</summary>
    private static Dictionary<string, ZipArchiveEntry> Files(ZipArchive zip, string name)
    {
        var files = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            // The object key's rules: no '..' or '.'-led segment, no leading '/', no backslash or control character.
            if (!ObjectKey.TryParse(entry.FullName, out _, out _))
                throw new BackupArchiveException($"{name} holds an entry named '{Printable(entry.FullName)}', which no Meridian backup has (a path-traversal attempt?): it is refused");
            if (!files.TryAdd(entry.FullName, entry))
                throw new BackupArchiveException($"{name} holds two entries named '{entry.FullName}': it is refused");
        }
        return files;
    }

    private static string Printable(string text) => new(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static async Task<BackupManifest> ReadManifestAsync(Dictionary<string, ZipArchiveEntry> files, string name, CancellationToken cancellationToken)
    {
        if (!files.TryGetValue(BackupManifest.EntryName, out var entry))
            throw new BackupArchiveException($"{name} has no {BackupManifest.EntryName}: it is not a Meridian backup, or its writing was cut short");
        using var content = new MemoryStream();
        try
        {
            await using var stream = await entry.OpenAsync(cancellationToken);
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (content.Length + read > MaxManifestBytes)
                    throw new BackupArchiveException($"{name}: {BackupManifest.EntryName} is larger than {MaxManifestBytes:N0} bytes, which no manifest is: it is refused");
                content.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new BackupArchiveException($"{name}: {BackupManifest.EntryName} cannot be read, the archive is damaged ({e.Message})", e);
        }
        try
        {
            // The format first, alone: a newer manifest may not read as this one at all.
            using (var document = JsonDocument.Parse(content.GetBuffer().AsMemory(0, (int)content.Length)))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("format", out var format)
                    || format.ValueKind != JsonValueKind.Number || !format.TryGetInt32(out var version) || version < 1)
                    throw new BackupArchiveException($"{name}: {BackupManifest.EntryName} has no archive format number: it is not a Meridian backup manifest");
                if (version > BackupManifest.CurrentFormat)
                {
                    var writer = document.RootElement.TryGetProperty("meridianVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "a newer version";
                    throw new BackupArchiveException($"{name} is in archive format {version} (written by Meridian {writer}); this Meridian reads format "
                        + $"{BackupManifest.CurrentFormat} and older: restore it with a Meridian at least as new as the one that wrote it");
                }
            }
            return JsonSerializer.Deserialize<BackupManifest>(content.GetBuffer().AsSpan(0, (int)content.Length), BackupManifest.Json)
                ?? throw new BackupArchiveException($"{name}: {BackupManifest.EntryName} is null");
        }
        catch (JsonException e)
        {
            throw new BackupArchiveException($"{name}: {BackupManifest.EntryName} is not a valid manifest: {e.Message}", e);
        }
    }

    /// <summary>Whether the manifest adds up: every entry listed once and present, every collection and document naming a listed entry.</summary>
    private static void Check(BackupManifest manifest, Dictionary<string, ZipArchiveEntry> files, string name)
    {
        void Fail(string problem) => throw new BackupArchiveException($"{name}: {problem}");
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            if (!listed.Add(entry.Name) || entry.Name == BackupManifest.EntryName) Fail($"the manifest lists '{entry.Name}' twice");
            if (entry.Bytes < 0 || entry.Sha256.Length != 64 || !entry.Sha256.All(char.IsAsciiHexDigitLower))
                Fail($"the manifest's size or SHA-256 of '{entry.Name}' is no size or SHA-256");
            if (!files.ContainsKey(entry.Name)) Fail($"the manifest lists '{entry.Name}', which the archive does not hold (cut short?)");
        }
        if (files.Keys.FirstOrDefault(f => f != BackupManifest.EntryName && !listed.Contains(f)) is { } extra)
            Fail($"the archive holds '{extra}', which its manifest does not list");
        void RequireListed(string entry, string what)
        {
            if (!listed.Contains(entry)) Fail($"{what} names the entry '{entry}', which the manifest does not list");
        }
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var collection in manifest.Collections)
        {
            if (collection.Id.Length == 0 || !ids.Add(collection.Id)) Fail($"the collection id '{collection.Id}' is empty or listed twice");
            if (collection.Srid <= 0 || collection.Features < 0) Fail($"collection '{collection.Id}' has no SRID or a negative feature count");
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (collection.Properties.Any(p => p.Name.Length == 0 || !names.Add(p.Name))) Fail($"collection '{collection.Id}' has an empty or repeated property name");
            if (collection.TemporalProperty is { } temporal && !names.Contains(temporal)) Fail($"collection '{collection.Id}' has no property '{temporal}'");
            RequireListed(collection.Entry, $"collection '{collection.Id}'");
        }
        if (manifest.Keys is { } keys) RequireListed(keys, "the keys");
        var keysSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in manifest.Documents)
        {
            if (!PlatformDocuments.IsBackedUp(document.Key) || !keysSeen.Add(document.Key))
                Fail($"the document '{Printable(document.Key)}' is none a backup holds, or is listed twice");
            RequireListed(document.Entry, $"the document '{document.Key}'");
        }
    }

    /// <summary>Reads every entry through, checking its size, its inflation and its SHA-256 against the manifest.</summary>
    public async Task VerifyAsync(int maxCompressionRatio, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        foreach (var listed in Manifest.Entries)
        {
            var entry = _files[listed.Name];
            var maxByRatio = Math.Max(RatioFloorBytes, entry.CompressedLength * (long)maxCompressionRatio);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var length = 0L;
            try
            {
                await using var stream = await entry.OpenAsync(cancellationToken);
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > listed.Bytes)
                        throw new BackupArchiveException($"{_name}: '{listed.Name}' is larger than the {listed.Bytes:N0} bytes its manifest says: the archive is damaged or was tampered with");
                    if (length > maxByRatio)
                        throw new BackupArchiveException($"{_name}: '{listed.Name}' inflates more than {maxCompressionRatio} times its packed size (a zip bomb?): it is refused "
                            + "(the limit is the setting Ingest:MaxCompressionRatio)");
                    hash.AppendData(buffer, 0, read);
                }
            }
            catch (InvalidDataException e)
            {
                throw new BackupArchiveException($"{_name}: '{listed.Name}' cannot be read, the archive is damaged ({e.Message})", e);
            }
            if (length != listed.Bytes)
                throw new BackupArchiveException($"{_name}: '{listed.Name}' holds {length:N0} bytes where its manifest says {listed.Bytes:N0}: the archive is damaged or was cut short");
            if (Convert.ToHexStringLower(hash.GetHashAndReset()) != listed.Sha256)
                throw new BackupArchiveException($"{_name}: '{listed.Name}' does not match its SHA-256 in the manifest: the archive is damaged or was tampered with");
        }
    }

    /// <summary>An entry's content, inflating as it is read (after <see cref="VerifyAsync"/> it is known to be what the manifest says).</summary>
    public async Task<Stream> OpenEntryAsync(string name, CancellationToken cancellationToken) => await _files[name].OpenAsync(cancellationToken);

    public async Task<byte[]> ReadEntryAsync(string name, CancellationToken cancellationToken)
    {
        await using var stream = await OpenEntryAsync(name, cancellationToken);
        using var content = new MemoryStream();
        await stream.CopyToAsync(content, cancellationToken);
        return content.ToArray();
    }

    public ValueTask DisposeAsync() => _zip.DisposeAsync();
}
