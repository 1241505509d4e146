using System.Security.Cryptography;
using System.Text;
using Meridian.Storage.Objects;

namespace Meridian.Analytics.Querying;

/// <summary>
/// Local copies of lake files for DuckDB, which reads paths (its S3 reader, httpfs, is an extension it would have to
/// download). Event files never change once written, so a copy is named by its key and size and is good for ever; the
/// cache stays under <c>Analytics:CacheBytes</c> by deleting the copies read longest ago.
/// </summary>
internal sealed class LakeCache
{
    private readonly string _directory;
    private readonly long _maxBytes;
    private static readonly TimeSpan RecentlyUsed = TimeSpan.FromMinutes(5);

    private readonly Lock _trimming = new();

    public LakeCache(string directory, long maxBytes)
    {
        _directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>The local copy of the object, fetched when there is none yet; null when the object is gone (compacted away).</summary>
    public async Task<string?> GetAsync(IObjectStore store, ObjectInfo info, CancellationToken cancellationToken)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(info.Key.Value)))[..32] + "-" + info.Size + ".parquet";
        var path = Path.Combine(_directory, name);
        if (File.Exists(path))
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return path;
        }
        var temporary = TemporaryPath();
        try
        {
            await using (var source = await store.OpenReadAsync(info.Key, cancellationToken))
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await source.CopyToAsync(target, cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return path;
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>A fresh path in the cache's directory for a file being made (a compacted hour); never taken for a copy, never trimmed.</summary>
    public string TemporaryPath() => Path.Combine(_directory, $".{Guid.NewGuid():N}.part");

    /// <summary>
    /// Deletes the copies read longest ago until the cache is under its size. Copies touched in the last minutes are kept
    /// even past it: a query running in parallel may be about to read them.
    /// </summary>
    public void Trim()
    {
        lock (_trimming)
        {
            var files = new DirectoryInfo(_directory).EnumerateFiles("*.parquet").OrderByDescending(f => f.LastAccessTimeUtc).ToList();
            var recent = DateTime.UtcNow - RecentlyUsed;
            long total = 0;
            foreach (var file in files)
            {
                total += file.Length;
                if (total <= _maxBytes || file.LastAccessTimeUtc > recent) continue;
                try
                {
                    file.Delete();
                }
                catch (IOException)
                {
                    // Being read by another query: it goes next time.
                }
            }
        }
    }
}
