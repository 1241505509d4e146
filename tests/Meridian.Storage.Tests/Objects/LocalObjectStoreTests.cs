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

    private static Task PutTextAsync(IObjectStore store, string key, string text) =>
        store.PutAsync(ObjectKey.Parse(key), new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), CancellationToken.None);

    private bool FolderExists(string relative) => Directory.Exists(Path.Combine(_root.Path, relative));

    [Fact]
    public async Task DeleteAsync_LastObjectOfAPrefix_RemovesTheFoldersItLeftEmptyUpToTheRoot()
    {
        await PutTextAsync(Store, "lake/2026/01/02/03/a.parquet", "a");
        await PutTextAsync(Store, "lake/kept.txt", "kept");

        Assert.True(await Store.DeleteAsync(ObjectKey.Parse("lake/2026/01/02/03/a.parquet"), CancellationToken.None));

        Assert.False(FolderExists("lake/2026"));
        Assert.True(FolderExists("lake"));

        Assert.True(await Store.DeleteAsync(ObjectKey.Parse("lake/kept.txt"), CancellationToken.None));

        Assert.False(FolderExists("lake"));
        Assert.True(Directory.Exists(_root.Path));
        Assert.Empty(await ListAsync(""));
    }

    [Fact]
    public async Task DeleteAsync_OneOfTwoObjects_KeepsTheirFolderAndTheOther()
    {
        await PutTextAsync(Store, "lake/2026/01/a.parquet", "a");
        await PutTextAsync(Store, "lake/2026/01/b.parquet", "b");

        await Store.DeleteAsync(ObjectKey.Parse("lake/2026/01/a.parquet"), CancellationToken.None);

        Assert.True(FolderExists("lake/2026/01"));
        Assert.Equal(["lake/2026/01/b.parquet"], await ListAsync("lake/"));
    }

    [Fact]
    public async Task DeleteAsync_FolderHoldingOnlyASubfolder_IsKept()
    {
        await PutTextAsync(Store, "lake/a/x.txt", "x");
        await PutTextAsync(Store, "lake/a/b/y.txt", "y");

        await Store.DeleteAsync(ObjectKey.Parse("lake/a/x.txt"), CancellationToken.None);

        Assert.Equal(["lake/a/b/y.txt"], await ListAsync("lake/"));
        Assert.Equal("y", await ReadTextAsync("lake/a/b/y.txt"));
    }

    [Fact]
    public async Task PutAsync_WhileTheLastObjectOfItsFolderIsDeleted_IsNeverLost()
    {
        // Each write races a loop that keeps making the folder hold one object and deleting it, which removes the folder
        // each time: the write must land whichever comes first. The loop writes its object's file directly (only the
        // deletion is under test there), so that it turns over many times during one write.
        const int Rounds = 1000;
        for (var i = 0; i < Rounds; i++)
        {
            var folder = Path.Combine(_root.Path, "race", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var old = ObjectKey.Parse($"race/{i}/old.txt");
            using var written = new CancellationTokenSource();
            var churn = Task.Run(async () =>
            {
                while (!written.IsCancellationRequested)
                {
                    Directory.CreateDirectory(folder);
                    File.WriteAllText(Path.Combine(folder, "old.txt"), "old");
                    await Store.DeleteAsync(old, CancellationToken.None);
                }
            });
            try
            {
                await PutTextAsync(Store, $"race/{i}/new.txt", $"new {i}");
            }
            finally
            {
                await written.CancelAsync();
                await churn;
            }
        }

        for (var i = 0; i < Rounds; i++) Assert.Equal($"new {i}", await ReadTextAsync($"race/{i}/new.txt"));
        Assert.Equal(Rounds, (await ListAsync("race/")).Count);
    }

    [Fact]
    public async Task DeleteAsync_TheLastObjectOfAFolderSeveralTimesAtOnce_NoneFailsAndOneDeletesIt()
    {
        // A later one may find the file, and then neither it nor its folder (removed by the first).
        const int Deleters = 4;
        for (var i = 0; i < 300; i++)
        {
            var key = ObjectKey.Parse($"twice/{i}/a.txt");
            await PutTextAsync(Store, key.Value, "a");

            using var start = new Barrier(Deleters);
            var all = await Task.WhenAll(Enumerable.Range(0, Deleters).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return Store.DeleteAsync(key, CancellationToken.None);
            })));

            Assert.Contains(true, all);
        }
        Assert.False(FolderExists("twice"));
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var info in Store.ListAsync(prefix, CancellationToken.None)) keys.Add(info.Key.Value);
        return keys;
    }

    private async Task<string> ReadTextAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(ObjectKey.Parse(key), CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
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
