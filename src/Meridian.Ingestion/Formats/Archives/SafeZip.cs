using System.IO.Compression;

namespace Meridian.Ingestion.Formats.Archives;

/// <summary>
/// Unpacks the wanted entries of a zip archive into a fresh folder, refusing what could hurt the host:
/// entry paths that escape the folder (zip slip), and zip bombs (more than <see cref="SourceOptions.MaxUnpackedBytes"/>
/// in all, or an entry that inflates beyond <see cref="SourceOptions.MaxCompressionRatio"/>). Sizes are counted
/// as bytes are written, not taken from the archive's headers, which a bomb can fake.
/// </summary>
internal static class SafeZip
{
    /// <summary>Entries smaller than this are not held to the ratio: a few KiB of padding compress beyond any ratio and cost nothing.</summary>
    private const long RatioFloorBytes = 1024 * 1024;

    /// <summary>Unpacks the entries <paramref name="wanted"/> accepts (by their path in the archive); the result deletes the folder.</summary>
    public static async Task<UnpackedArchive> UnpackAsync(string path, SourceOptions options, Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(Path.Combine(options.WorkDirectory ?? Path.GetTempPath(), "meridian-unpack-" + Guid.NewGuid().ToString("N")));
        var unpacked = new UnpackedArchive(folder);
        try
        {
            Directory.CreateDirectory(folder);
            await using var archive = await OpenAsync(path, cancellationToken);
            var total = 0L;
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                var target = Path.GetFullPath(Path.Combine(folder, name));
                if (Path.IsPathRooted(name) || !target.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new SourceFormatException($"the archive entry '{entry.FullName}' points outside the archive's folder (a zip-slip attack?): the archive is refused.");
                unpacked.Entries.Add(name);
                // Folders, macOS resource forks and what the format does not need are not unpacked.
                if (name.EndsWith('/') || IsMacMetadata(name) || !wanted(name)) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                total += await CopyAsync(entry, target, options, options.MaxUnpackedBytes - total, cancellationToken);
                unpacked.Files.Add(name);
            }
            return unpacked;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or UnauthorizedAccessException)
        {
            await unpacked.DisposeAsync();
            throw new SourceFormatException($"the zip archive is damaged or truncated and cannot be unpacked: {e.Message}", e);
        }
        catch
        {
            await unpacked.DisposeAsync();
            throw;
        }
    }

    /// <summary>'__MACOSX/…' folders and '._name' AppleDouble files, which macOS adds to the archives it makes.</summary>
    public static bool IsMacMetadata(string name) =>
        name.StartsWith("__MACOSX/", StringComparison.Ordinal) || Path.GetFileName(name).StartsWith("._", StringComparison.Ordinal);

    private static async Task<ZipArchive> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var stream = FeatureFormats.OpenRead(path);
        try
        {
            return await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private static async Task<long> CopyAsync(ZipArchiveEntry entry, string target, SourceOptions options, long allowed, CancellationToken cancellationToken)
    {
        var maxByRatio = Math.Max(RatioFloorBytes, entry.CompressedLength * options.MaxCompressionRatio);
        var buffer = new byte[81920];
        var written = 0L;
        await using var input = await entry.OpenAsync(cancellationToken);
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            written += read;
            if (written > allowed)
                throw new SourceFormatException($"the archive unpacks to more than {options.MaxUnpackedBytes:N0} bytes (a zip bomb?): it is refused.");
            if (written > maxByRatio)
                throw new SourceFormatException($"the archive entry '{entry.FullName}' inflates more than {options.MaxCompressionRatio} times its packed size (a zip bomb?): the archive is refused.");
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return written;
    }
}

/// <summary>An archive unpacked into a temporary folder, deleted on dispose.</summary>
internal sealed class UnpackedArchive(string folder) : IAsyncDisposable
{
    public string Folder { get; } = folder;

    /// <summary>Every entry of the archive (as its path inside it), unpacked or not, for messages.</summary>
    public List<string> Entries { get; } = [];

    /// <summary>The unpacked entries, as paths inside the archive.</summary>
    public List<string> Files { get; } = [];

    public string PathOf(string entry) => Path.Combine(Folder, entry);

    public ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader still holds a file (Windows): the temp folder is left for the system to clean.
        }
        return ValueTask.CompletedTask;
    }
}
