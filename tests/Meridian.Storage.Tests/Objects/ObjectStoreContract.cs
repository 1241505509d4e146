using System.Security.Cryptography;
using Meridian.Storage.Objects;

namespace Meridian.Storage.Tests.Objects;

/// <summary>
/// What every object store must do, run unchanged against the local directory (plain and encrypted) and a real
/// S3-compatible server. Each test uses keys under its own fresh prefix.
/// </summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    private readonly string _prefix = "contract/" + Guid.NewGuid().ToString("N") + "/";

    private ObjectUploads Uploads => new(Store);

    private ObjectKey Key(string name) => ObjectKey.Parse(_prefix + name);

    private static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    private async Task<byte[]> ReadAllAsync(ObjectKey key)
    {
        await using var stream = await Store.OpenReadAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(1_000_003)]
    public async Task Put_then_read_returns_the_same_bytes_and_size(int length)
    {
        var bytes = RandomBytes(length);
        var key = Key($"data-{length}.bin");

        var info = await Store.PutAsync(key, new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(length, info.Size);
        Assert.Equal(bytes, await ReadAllAsync(key));
        Assert.Equal(length, (await Store.GetInfoAsync(key, CancellationToken.None))!.Size);
    }

    [Fact]
    public async Task A_stream_of_unknown_length_larger_than_a_part_is_stored_whole()
    {
        var bytes = RandomBytes(9 * 1024 * 1024 + 17);
        var key = Key("big.bin");

        await Store.PutAsync(key, new NonSeekableStream(bytes), CancellationToken.None);

        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await ReadAllAsync(key)));
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        var key = Key("replaced.txt");
        await Store.PutAsync(key, new MemoryStream("first version"u8.ToArray()), CancellationToken.None);
        await Store.PutAsync(key, new MemoryStream("second"u8.ToArray()), CancellationToken.None);

        Assert.Equal("second"u8.ToArray(), await ReadAllAsync(key));
    }

    [Fact]
    public async Task A_missing_object_is_not_found()
    {
        var key = Key("missing.txt");

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync(key, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_that_is_only_the_prefix_of_other_objects_is_not_found()
    {
        var folder = Key("folder");
        await Store.PutAsync(ObjectKey.Parse(folder.Value + "/inside.txt"), new MemoryStream([1]), CancellationToken.None);

        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync(folder, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(folder, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(folder, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_the_object_once()
    {
        var key = Key("deleted.txt");
        await Store.PutAsync(key, new MemoryStream([1, 2, 3]), CancellationToken.None);

        Assert.True(await Store.DeleteAsync(key, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(key, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task List_returns_the_objects_under_a_prefix_in_key_order()
    {
        foreach (var name in new[] { "raw/b.txt", "raw/a.txt", "raw/sub/c.txt", "processed/d.txt", "rawish.txt" })
            await Store.PutAsync(Key(name), new MemoryStream([42]), CancellationToken.None);

        var listed = await Store.ListAsync(_prefix + "raw/", CancellationToken.None).Select(i => i.Key.Value[_prefix.Length..]).ToListAsync();
        var all = await Store.ListAsync(_prefix, CancellationToken.None).Select(i => i.Key.Value[_prefix.Length..]).ToListAsync();

        Assert.Equal(["raw/a.txt", "raw/b.txt", "raw/sub/c.txt"], listed);
        Assert.Equal(["processed/d.txt", "raw/a.txt", "raw/b.txt", "raw/sub/c.txt", "rawish.txt"], all);
    }

    [Fact]
    public async Task Parts_of_unfinished_uploads_stay_out_of_listings()
    {
        var key = Key("pending.bin");
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new MemoryStream([1]), CancellationToken.None);

        Assert.DoesNotContain(await Store.ListAsync("", CancellationToken.None).ToListAsync(), i => i.Key.Value.Contains(uploadId));
        await Uploads.AbortAsync(key, uploadId, CancellationToken.None);
    }

    [Fact]
    public async Task Uploads_untouched_since_the_cutoff_expire_with_their_parts()
    {
        var key = Key("abandoned.bin");
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new MemoryStream([1, 2, 3]), CancellationToken.None);
        var folder = $"{ObjectKey.ReservedArea}uploads/{uploadId}/";
        var lastTouched = (await Store.ListAsync(folder, CancellationToken.None).ToListAsync()).Max(i => i.LastModified);

        await Uploads.ExpireAsync(lastTouched.AddSeconds(-1), CancellationToken.None);
        var keptParts = await Uploads.ListPartsAsync(key, uploadId, CancellationToken.None);
        var expired = await Uploads.ExpireAsync(lastTouched.AddSeconds(1), CancellationToken.None);

        Assert.Equal([new UploadedPart(1, 3)], keptParts);
        Assert.True(expired >= 1);
        Assert.Null(await Uploads.FindTargetAsync(uploadId, CancellationToken.None));
        Assert.Empty(await Store.ListAsync(folder, CancellationToken.None).ToListAsync());
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task List_of_an_unknown_prefix_is_empty()
    {
        Assert.Empty(await Store.ListAsync(_prefix + "nothing/here/", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task An_upload_in_parts_can_be_resumed_and_joins_its_parts_in_order()
    {
        var key = Key("parts.bin");
        var first = RandomBytes((int)ObjectUploads.MinimumPartSize);
        var second = RandomBytes(1234);
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);

        // The last part arrives first, and the first part is retried, as after a broken connection.
        await Uploads.UploadPartAsync(key, uploadId, 2, new MemoryStream(second), CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new MemoryStream(RandomBytes(10)), CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new NonSeekableStream(first), CancellationToken.None);
        var parts = await Uploads.ListPartsAsync(key, uploadId, CancellationToken.None);
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        var info = await Uploads.CompleteAsync(key, uploadId, CancellationToken.None);

        Assert.Equal([new UploadedPart(1, first.Length), new UploadedPart(2, second.Length)], parts);
        Assert.Equal(first.Length + second.Length, info.Size);
        Assert.Equal(SHA256.HashData([.. first, .. second]), SHA256.HashData(await ReadAllAsync(key)));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Uploads.ListPartsAsync(key, uploadId, CancellationToken.None));
    }

    [Fact]
    public async Task An_upload_with_a_small_part_before_the_last_is_refused()
    {
        var key = Key("small-parts.bin");
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new MemoryStream(RandomBytes(100)), CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 2, new MemoryStream(RandomBytes(100)), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => Uploads.CompleteAsync(key, uploadId, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        await Uploads.AbortAsync(key, uploadId, CancellationToken.None);
    }

    [Fact]
    public async Task An_upload_missing_a_part_is_refused_and_can_be_completed_once_the_part_arrives()
    {
        var key = Key("gap.bin");
        var first = RandomBytes((int)ObjectUploads.MinimumPartSize);
        var second = RandomBytes((int)ObjectUploads.MinimumPartSize);
        var third = RandomBytes(10);
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new MemoryStream(first), CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 3, new MemoryStream(third), CancellationToken.None);

        // Joined without part 2, the object would be whole-looking and wrong.
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Uploads.CompleteAsync(key, uploadId, CancellationToken.None));
        Assert.Null(await Store.GetInfoAsync(key, CancellationToken.None));
        await Uploads.UploadPartAsync(key, uploadId, 2, new MemoryStream(second), CancellationToken.None);
        await Uploads.CompleteAsync(key, uploadId, CancellationToken.None);

        Assert.Contains("part 2", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SHA256.HashData([.. first, .. second, .. third]), SHA256.HashData(await ReadAllAsync(key)));
    }

    [Fact]
    public async Task An_aborted_upload_leaves_the_existing_object_alone_and_is_gone()
    {
        var key = Key("kept.txt");
        await Store.PutAsync(key, new MemoryStream("kept"u8.ToArray()), CancellationToken.None);
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);
        await Uploads.UploadPartAsync(key, uploadId, 1, new MemoryStream([1, 2, 3]), CancellationToken.None);

        await Uploads.AbortAsync(key, uploadId, CancellationToken.None);

        Assert.Equal("kept"u8.ToArray(), await ReadAllAsync(key));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() =>
            Uploads.UploadPartAsync(key, uploadId, 2, new MemoryStream([4]), CancellationToken.None));
    }

    [Theory]
    [InlineData("no-such-upload")]
    [InlineData("../../etc")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public async Task An_unknown_upload_id_is_not_found(string uploadId)
    {
        await Assert.ThrowsAsync<ObjectNotFoundException>(() =>
            Uploads.UploadPartAsync(Key("x.bin"), uploadId, 1, new MemoryStream([1]), CancellationToken.None));
    }

    [Fact]
    public async Task An_upload_id_belongs_to_its_key()
    {
        var uploadId = await Uploads.StartAsync(Key("mine.bin"), CancellationToken.None);

        await Assert.ThrowsAsync<ObjectNotFoundException>(() =>
            Uploads.UploadPartAsync(Key("other.bin"), uploadId, 1, new MemoryStream([1]), CancellationToken.None));
        await Uploads.AbortAsync(Key("mine.bin"), uploadId, CancellationToken.None);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task A_part_number_out_of_range_is_refused(int partNumber)
    {
        var key = Key("range.bin");
        var uploadId = await Uploads.StartAsync(key, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Uploads.UploadPartAsync(key, uploadId, partNumber, new MemoryStream([1]), CancellationToken.None));
        await Uploads.AbortAsync(key, uploadId, CancellationToken.None);
    }

    [Fact]
    public async Task The_store_is_healthy()
    {
        await Store.CheckHealthAsync(CancellationToken.None);
    }

    /// <summary>A stream that cannot tell its length, like a request body.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
