using System.Runtime.CompilerServices;

namespace Meridian.Storage.Objects;

/// <summary>
/// The embedded object store: one file per object under a root directory, optionally encrypted at rest.
/// Writes go to a temporary file that is renamed into place, so an object appears whole or not at all.
/// Files being written live in <c>.tmp/</c>, which no key can name.
/// </summary>
public sealed class LocalObjectStore : IObjectStore, ILocalObjectFiles
{
    private const string TemporaryFolder = ".tmp";
    private const int MoveAttempts = 10;

    private readonly string _root;
    private readonly AesGcmObjectCipher? _cipher;

    public LocalObjectStore(string root, AesGcmObjectCipher? cipher = null)
    {
        _root = Path.GetFullPath(root);
        _cipher = cipher;
        Directory.CreateDirectory(_root);
    }

    public string Name => $"local:{_root}" + (_cipher is null ? "" : " (encrypted)");

    public async Task<ObjectInfo> PutAsync(ObjectKey key, Stream content, CancellationToken cancellationToken)
    {
        await WriteFileAsync(PathOf(key), content, cancellationToken);
        return Info(key, new FileInfo(PathOf(key)));
    }

    public Task<Stream> OpenReadAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult(OpenFile(path, key.Value));
        }
        // A key that is only the prefix of other objects names a folder here: no object, as in S3.
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            throw new ObjectNotFoundException($"There is no object {key}.");
        }
    }

    public Task<ObjectInfo?> GetInfoAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? Info(key, file) : null);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Start at the deepest folder the prefix names, so listing one day's files does not walk the whole store.
        var folder = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "";
        var start = folder.Length == 0 ? _root : Path.Combine(_root, folder);
        if (folder.Length > 0 && !ObjectKey.TryParseStored(folder, out _)) yield break;
        if (!Directory.Exists(start)) yield break;

        var infos = new List<ObjectInfo>();
        foreach (var path in FilesUnder(start))
        {
            var relative = Path.GetRelativePath(_root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!ObjectKey.TryParseStored(relative, out var key) || !key.IsListedUnder(prefix)) continue;
            try
            {
                infos.Add(Info(key, new FileInfo(path)));
            }
            catch (FileNotFoundException)
            {
                // Deleted since the folder was read: not there any more, as S3 would list it.
            }
        }
        foreach (var info in infos.OrderBy(i => i.Key.Value, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
            await Task.Yield();
        }
    }

    public Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        if (!file.Exists) return Task.FromResult(false);
        try
        {
            file.Delete();
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted meanwhile by another deletion, which removed its folder too (File.Delete only tolerates a missing file).
            return Task.FromResult(false);
        }
        RemoveEmptyFolders(file.DirectoryName!);
        return Task.FromResult(true);
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        // Creating and removing a file proves the directory exists and is writable, not merely readable.
        var probe = Path.Combine(TemporaryDirectory(), "health-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(probe, [], cancellationToken);
        File.Delete(probe);
    }

    public string? LocalFileOf(ObjectKey key) => _cipher is null ? PathOf(key) : null;

    private string PathOf(ObjectKey key) => Path.Combine(_root, key.Value);

    private string TemporaryDirectory() => Directory.CreateDirectory(Path.Combine(_root, TemporaryFolder)).FullName;

    private async Task WriteFileAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(TemporaryDirectory(), Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                if (_cipher is null) await content.CopyToAsync(file, cancellationToken);
                else await _cipher.EncryptAsync(content, file, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            MoveIntoPlace(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>
    /// Moves a written file to its object's path, making its folders. A deletion in the same folder may remove the folder,
    /// found empty, under this (<see cref="RemoveEmptyFolders"/>): between its creation here and the move, which then finds
    /// no folder to move into, or even inside the creation, which finds it there and then gone ("already exists"). Both
    /// are tried again. Once the move is done the folder holds the file, and no deletion removes it.
    /// </summary>
    private static void MoveIntoPlace(string temporary, string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(folder);
                File.Move(temporary, path, overwrite: true);
                return;
            }
            // A few tries suffice: each failure needs a deletion to land within microseconds. A failure of another kind
            // (a full disk) fails every try, and is thrown after the last.
            catch (IOException) when (attempt < MoveAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Removes the folders a deletion left empty, from the object's up to (not including) the root: S3 has no folders,
    /// and a store whose objects come and go by prefix (the analytics lake's hour partitions, pruned by retention) would
    /// otherwise keep every empty one forever. Each is removed by a non-recursive delete, which the file system refuses
    /// for a folder that is not empty: whatever another writer put there meanwhile (a file moved in, a subfolder) stays,
    /// and the refusal ends the climb, since every folder above holds that one. The one race left, a writer that made
    /// its folder just before it was removed here and moves its file in just after, is the writer's to handle
    /// (<see cref="MoveIntoPlace"/>); readers see a missing folder as a missing object.
    /// </summary>
    private void RemoveEmptyFolders(string folder)
    {
        for (var current = folder; current.Length > _root.Length; current = Path.GetDirectoryName(current)!)
        {
            try
            {
                Directory.Delete(current, recursive: false);
            }
            // Not empty, or removed already by another deletion (which climbs on itself): either way, done here.
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    /// <summary>Every file under a folder, none when the folder was removed (emptied) meanwhile.</summary>
    private static IEnumerable<string> FilesUnder(string folder)
    {
        try
        {
            // Subfolders that vanish during the walk are skipped by the enumerator itself; only the first one can throw.
            return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private Stream OpenFile(string path, string name)
    {
        // FileShare.Delete: an object replaced or deleted while being read stays readable to this reader.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
        return _cipher is null ? file : _cipher.OpenDecrypting(file, name);
    }

    private long PlainLength(FileInfo file) => _cipher is null ? file.Length : AesGcmObjectCipher.PlaintextLength(file.Length);

    private ObjectInfo Info(ObjectKey key, FileInfo file) => new(key, PlainLength(file), file.LastWriteTimeUtc);
}
