namespace Meridian.Storage.Objects;

/// <summary>
/// Uploads in parts, for files too large for one request and for resuming after a broken connection, built
/// on any object store: each part is an object in the reserved area until the upload completes, when the parts
/// are streamed, in part order, into the target object. The target appears whole or not at all, and every
/// adapter behaves the same (S3-compatible servers differ widely in their own multipart support).
/// </summary>
/// <remarks>
/// Completing reads the parts back through this process once. On AWS S3 a server-side copy (UploadPartCopy)
/// could avoid that; it is left for when uploads of many gigabytes become common.
/// </remarks>
public sealed class ObjectUploads(IObjectStore store)
{
    /// <summary>S3's minimum for every part but the last, kept so that clients written for S3 work unchanged.</summary>
    public const long MinimumPartSize = 5 * 1024 * 1024;

    public const int MaxParts = 10_000;

    private const string TargetName = "target";

    /// <summary>Starts an upload into <paramref name="key"/>; returns its id.</summary>
    public async Task<string> StartAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        await store.PutAsync(Entry(id, TargetName), new MemoryStream(System.Text.Encoding.UTF8.GetBytes(key.Value)), cancellationToken);
        return id;
    }

    /// <summary>The object an upload will complete into, or null when there is no such upload.</summary>
    public async Task<ObjectKey?> FindTargetAsync(string uploadId, CancellationToken cancellationToken) =>
        IsWellFormed(uploadId) && await ReadTargetAsync(uploadId, cancellationToken) is { } key && ObjectKey.TryParse(key, out var parsed, out _)
            ? parsed
            : null;

    /// <summary>Stores part <paramref name="partNumber"/> (1 to 10,000), replacing an earlier try of the same part.</summary>
    public async Task<UploadedPart> UploadPartAsync(ObjectKey key, string uploadId, int partNumber, Stream content, CancellationToken cancellationToken)
    {
        if (partNumber is < 1 or > MaxParts)
            throw new ArgumentOutOfRangeException(nameof(partNumber), partNumber, $"A part number runs from 1 to {MaxParts}.");
        await RequireAsync(key, uploadId, cancellationToken);
        var info = await store.PutAsync(Entry(uploadId, PartName(partNumber)), content, cancellationToken);
        return new UploadedPart(partNumber, info.Size);
    }

    /// <summary>The parts stored so far, in part order: what a client resuming the upload still has to send.</summary>
    public async Task<IReadOnlyList<UploadedPart>> ListPartsAsync(ObjectKey key, string uploadId, CancellationToken cancellationToken)
    {
        await RequireAsync(key, uploadId, cancellationToken);
        return await PartsAsync(uploadId, cancellationToken);
    }

    /// <summary>
    /// Joins the parts into the object and forgets the upload. The parts must run from 1 without a gap (the client
    /// names no list, so a gap is a part that never arrived), and every part but the last must hold
    /// <see cref="MinimumPartSize"/> bytes.
    /// </summary>
    public async Task<ObjectInfo> CompleteAsync(ObjectKey key, string uploadId, CancellationToken cancellationToken)
    {
        await RequireAsync(key, uploadId, cancellationToken);
        var parts = await PartsAsync(uploadId, cancellationToken);
        if (parts.Count == 0) throw new ArgumentException($"The upload {uploadId} has no parts to join.");
        // Parts are listed in order: the first whose number is not its position follows a missing one.
        var missing = parts.Select((p, i) => (p.PartNumber, Expected: i + 1)).FirstOrDefault(p => p.PartNumber != p.Expected).Expected;
        if (missing > 0)
            throw new ArgumentException($"Part {missing} of upload {uploadId} is missing (it has parts up to {parts[^1].PartNumber}): send it, then complete the upload.");
        if (parts.SkipLast(1).FirstOrDefault(p => p.Size < MinimumPartSize) is { } small)
            throw new ArgumentException($"Part {small.PartNumber} of upload {uploadId} holds {small.Size} bytes; every part but the last needs at least {MinimumPartSize}.");

        var openers = parts.Select(p => (Func<CancellationToken, Task<Stream>>)(ct => store.OpenReadAsync(Entry(uploadId, PartName(p.PartNumber)), ct)));
        ObjectInfo info;
        await using (var joined = new ConcatenatedStream(openers))
        {
            info = await store.PutAsync(key, joined, cancellationToken);
        }
        await ForgetAsync(uploadId, cancellationToken);
        return info;
    }

    /// <summary>Drops the upload and its parts; an existing object with that key stays as it was.</summary>
    public async Task AbortAsync(ObjectKey key, string uploadId, CancellationToken cancellationToken)
    {
        await RequireAsync(key, uploadId, cancellationToken);
        await ForgetAsync(uploadId, cancellationToken);
    }

    /// <summary>
    /// Drops every upload whose last part (or start, if it has none) is older than <paramref name="cutoff"/>;
    /// returns how many. A client completing such an upload at that very moment finds it gone, as it would a
    /// moment later.
    /// </summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var area = $"{ObjectKey.ReservedArea}uploads/";
        var lastTouched = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var item in store.ListAsync(area, cancellationToken))
        {
            var uploadId = item.Key.Value[area.Length..].Split('/')[0];
            if (!lastTouched.TryGetValue(uploadId, out var last) || item.LastModified > last) lastTouched[uploadId] = item.LastModified;
        }
        var expired = lastTouched.Where(u => u.Value < cutoff && IsWellFormed(u.Key)).Select(u => u.Key).ToList();
        foreach (var uploadId in expired) await ForgetAsync(uploadId, cancellationToken);
        return expired.Count;
    }

    private static string Folder(string uploadId) => $"{ObjectKey.ReservedArea}uploads/{uploadId}/";

    private static ObjectKey Entry(string uploadId, string name) => ObjectKey.Reserved($"uploads/{uploadId}/{name}");

    private static string PartName(int partNumber) => partNumber.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    private async Task RequireAsync(ObjectKey key, string uploadId, CancellationToken cancellationToken)
    {
        // The id becomes part of a key: only ids this class hands out (32 lower-case hex digits) are looked up.
        var known = IsWellFormed(uploadId) && await ReadTargetAsync(uploadId, cancellationToken) == key.Value;
        if (!known) throw new ObjectNotFoundException($"There is no upload {uploadId} for {key}.");
    }

    private static bool IsWellFormed(string uploadId) => uploadId.Length == 32 && uploadId.All(char.IsAsciiHexDigitLower);

    private async Task<string?> ReadTargetAsync(string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(Entry(uploadId, TargetName), cancellationToken);
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }
    }

    private async Task<List<UploadedPart>> PartsAsync(string uploadId, CancellationToken cancellationToken)
    {
        var folder = Folder(uploadId);
        var parts = new List<UploadedPart>();
        await foreach (var item in store.ListAsync(folder, cancellationToken))
        {
            var name = item.Key.Value[folder.Length..];
            if (name.Length == 5 && int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                parts.Add(new UploadedPart(number, item.Size));
        }
        return parts.OrderBy(p => p.PartNumber).ToList();
    }

    private async Task ForgetAsync(string uploadId, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(Folder(uploadId), cancellationToken).Select(i => i.Key).ToListAsync(cancellationToken);
        // The target entry goes last, so an interrupted clean-up leaves an upload that can still be aborted.
        foreach (var entry in entries.OrderBy(e => e.Value.EndsWith(TargetName, StringComparison.Ordinal)))
            await store.DeleteAsync(entry, cancellationToken);
    }
}

/// <summary>One stored part of an upload.</summary>
public sealed record UploadedPart(int PartNumber, long Size);
