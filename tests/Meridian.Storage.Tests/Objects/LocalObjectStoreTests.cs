using System.Security.Cryptography;
using Meridian.Storage.Objects;
using Meridian.Testing;

namespace Meridian.Storage.Tests.Objects;

public sealed class LocalObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly TempDirectory _root = new();

    public LocalObjectStoreTests() => Store = new LocalObjectStore(_root.Path);

    protected override IObjectStore Store { get; }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Objects_are_plain_files_under_the_root_and_nothing_is_left_in_the_temporary_folder()
    {
        await Store.PutAsync(ObjectKey.Parse("raw/2026/a.txt"), new MemoryStream("hello"u8.ToArray()), CancellationToken.None);

        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(_root.Path, "raw", "2026", "a.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Path, ".tmp")));
    }

    [Fact]
    public async Task A_failed_write_leaves_the_previous_object_and_no_partial_file()
    {
        var key = ObjectKey.Parse("raw/kept.txt");
        await Store.PutAsync(key, new MemoryStream("previous"u8.ToArray()), CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync(key, new FailingStream(), CancellationToken.None));

        Assert.Equal("previous", await File.ReadAllTextAsync(Path.Combine(_root.Path, "raw", "kept.txt")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Path, ".tmp")));
    }

    /// <summary>A body that breaks off after some bytes, like a dropped upload.</summary>
    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? RandomNumberGenerator.GetBytes(Math.Min(count, 100)).Length : throw new IOException("connection reset");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class EncryptedLocalObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(AesGcmObjectCipher.KeySize);

    public EncryptedLocalObjectStoreTests() => Store = new LocalObjectStore(_root.Path, new AesGcmObjectCipher(_key));

    protected override IObjectStore Store { get; }

    public void Dispose() => _root.Dispose();

    private string FileOf(string key) => Path.Combine(_root.Path, key);

    private async Task<byte[]> ReadWithAsync(IObjectStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(ObjectKey.Parse(key), CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task The_file_on_disk_does_not_contain_the_plaintext()
    {
        var secret = "a very recognisable secret"u8.ToArray();
        await Store.PutAsync(ObjectKey.Parse("raw/secret.txt"), new MemoryStream(secret), CancellationToken.None);

        var onDisk = await File.ReadAllBytesAsync(FileOf("raw/secret.txt"));

        Assert.Equal(-1, onDisk.AsSpan().IndexOf(secret));
        Assert.Equal(secret.Length + 16 + 16, onDisk.Length);
    }

    [Fact]
    public async Task Another_key_cannot_read_the_object()
    {
        await Store.PutAsync(ObjectKey.Parse("raw/a.bin"), new MemoryStream(RandomNumberGenerator.GetBytes(1000)), CancellationToken.None);
        var other = new LocalObjectStore(_root.Path, new AesGcmObjectCipher(RandomNumberGenerator.GetBytes(32)));

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadWithAsync(other, "raw/a.bin"));
    }

    [Fact]
    public async Task A_flipped_bit_is_detected()
    {
        await Store.PutAsync(ObjectKey.Parse("raw/a.bin"), new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(FileOf("raw/a.bin"));
        bytes[100_000] ^= 1;
        await File.WriteAllBytesAsync(FileOf("raw/a.bin"), bytes);

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadWithAsync(Store, "raw/a.bin"));
    }

    [Theory]
    [InlineData(65_536 + 16)] // cut exactly after the first chunk: it was not sealed as the last one
    [InlineData(1000)]
    [InlineData(8)]
    [InlineData(0)]
    public async Task A_truncated_file_is_detected(int keptEncryptedBytes)
    {
        await Store.PutAsync(ObjectKey.Parse("raw/a.bin"), new MemoryStream(RandomNumberGenerator.GetBytes(200_000)), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(FileOf("raw/a.bin"));
        await File.WriteAllBytesAsync(FileOf("raw/a.bin"), bytes[..Math.Min(bytes.Length, keptEncryptedBytes + (keptEncryptedBytes > 16 ? 16 : 0))]);

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadWithAsync(Store, "raw/a.bin"));
    }

    [Fact]
    public void A_key_file_holds_raw_bytes_or_base64()
    {
        using var folder = new TempDirectory();
        var raw = Path.Combine(folder.Path, "raw.key");
        var text = Path.Combine(folder.Path, "text.key");
        var bad = Path.Combine(folder.Path, "bad.key");
        File.WriteAllBytes(raw, _key);
        File.WriteAllText(text, Convert.ToBase64String(_key) + "\n");
        File.WriteAllText(bad, "not a key");

        Assert.NotNull(AesGcmObjectCipher.FromKeyFile(raw));
        Assert.NotNull(AesGcmObjectCipher.FromKeyFile(text));
        Assert.Throws<ArgumentException>(() => AesGcmObjectCipher.FromKeyFile(bad));
    }
}
