using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Backup;

namespace Meridian.Tests.Backup;

/// <summary>
/// Archives a restore must refuse, each with a message naming what is wrong and nothing written: cut short, not a zip,
/// tampered with, of a newer format, with a hostile entry name, inflating like a bomb, not adding up.
/// </summary>
public sealed class HostileArchiveTests : IAsyncLifetime
{
    private readonly TempDirectory _archives = new();
    private BackupPlatform _target = null!;
    private string _good = "";

    public async Task InitializeAsync()
    {
        _good = Path.Combine(_archives.Path, "good.zip");
        await using var source = new BackupPlatform();
        await SampleData.FillAsync(source);
        await source.BackupAsync(_good);
        _target = new BackupPlatform();
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        _archives.Dispose();
    }

    private async Task<string> RefusedAsync(string archive)
    {
        var e = await Assert.ThrowsAsync<BackupArchiveException>(() => _target.RestoreAsync(archive));
        await _target.AssertEmptyAsync();
        return e.Message;
    }

    [Fact]
    public async Task CutShort_IsNoCompleteZip()
    {
        var bytes = await File.ReadAllBytesAsync(_good);
        var cut = Write("cut.zip", bytes[..(bytes.Length / 2)]);

        Assert.Contains("cut short", await RefusedAsync(cut));
    }

    [Fact]
    public async Task NotAZip_IsRefused() =>
        Assert.Contains("not a Meridian backup", await RefusedAsync(Write("text.zip", Encoding.UTF8.GetBytes("just some text, not an archive"))));

    [Fact]
    public async Task TamperedEntry_FailsItsChecksum()
    {
        var tampered = Rewrite("tampered.zip", (name, content) =>
            name.StartsWith("collections/0001", StringComparison.Ordinal) ? Replace(content, "Place", "Plaza") : content);

        var message = await RefusedAsync(tampered);

        Assert.Contains("collections/0001-places.geojsonl", message);
        Assert.Contains("SHA-256", message);
    }

    [Fact]
    public async Task TamperedEntryOfAnotherSize_IsNamed()
    {
        var tampered = Rewrite("longer.zip", (name, content) => name == "keys.json" ? [.. content, .. " "u8] : content);

        Assert.Contains("'keys.json' is larger than", await RefusedAsync(tampered));
    }

    [Fact]
    public async Task NewerFormat_NamesBothFormats()
    {
        var newer = Rewrite("newer.zip", (name, content) => name == BackupManifest.EntryName ? EditManifest(content, m => m["format"] = 2) : content);

        var message = await RefusedAsync(newer);

        Assert.Contains("archive format 2", message);
        Assert.Contains("reads format 1", message);
    }

    [Theory]
    [InlineData("../../etc/x")]
    [InlineData("/etc/passwd")]
    [InlineData("collections/../../x")]
    [InlineData("collections\\..\\x")]
    [InlineData(".meridian/workflows/definitions/x.json")]
    public async Task HostileEntryName_IsRefused(string name)
    {
        var hostile = Rewrite("hostile.zip", (_, content) => content, extra: (name, "boom"u8.ToArray()));

        var message = await RefusedAsync(hostile);

        Assert.Contains("path-traversal", message);
        Assert.False(File.Exists("/etc/x"));
    }

    [Fact]
    public async Task EntryNotInTheManifest_IsRefused()
    {
        var extra = Rewrite("extra.zip", (_, content) => content, extra: ("collections/9999-extra.geojsonl", "{}"u8.ToArray()));

        Assert.Contains("does not list", await RefusedAsync(extra));
    }

    [Fact]
    public async Task ManifestNamingADocumentOutsideTheBackedUpFolders_IsRefused()
    {
        var sneaky = Rewrite("sneaky.zip", (name, content) => name == BackupManifest.EntryName
            ? EditManifest(content, m => m["documents"] = new JsonArray(new JsonObject { ["key"] = "uploads/x/parts.json", ["entry"] = "keys.json" }))
            : content);

        Assert.Contains("none a backup holds", await RefusedAsync(sneaky));
    }

    [Fact]
    public async Task ZipBomb_IsRefusedBeforeItInflates()
    {
        // 512 MiB of zeros packs into about half a MiB: a thousand times over any ratio a backup's GeoJSON reaches.
        const long size = 512L << 20;
        var bomb = Rewrite("bomb.zip", (name, content) => name == BackupManifest.EntryName
            ? EditManifest(content, m => m["entries"]!.AsArray().Add(new JsonObject
            {
                ["name"] = "collections/9999-bomb.geojsonl", ["bytes"] = size, ["sha256"] = new string('0', 64),
            }))
            : content, bomb: ("collections/9999-bomb.geojsonl", size));

        var message = await RefusedAsync(bomb);

        Assert.Contains("zip bomb", message);
        Assert.Contains("collections/9999-bomb.geojsonl", message);
    }

    [Fact]
    public async Task NoManifest_IsNoBackup()
    {
        var headless = Rewrite("headless.zip", (_, content) => content, drop: BackupManifest.EntryName);

        Assert.Contains("has no manifest.json", await RefusedAsync(headless));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"format\": \"one\"}")]
    [InlineData("{\"format\": 1}")]
    [InlineData("{\"format\": 1, \"meridianVersion\": null}")]
    [InlineData("not json")]
    public async Task MalformedManifest_IsRefused(string manifest)
    {
        var malformed = Rewrite("malformed.zip", (name, content) => name == BackupManifest.EntryName ? Encoding.UTF8.GetBytes(manifest) : content);

        Assert.Contains("manifest", await RefusedAsync(malformed));
    }

    [Fact]
    public async Task FeatureLineThatIsNoFeature_WithAMatchingChecksum_RollsTheLoadBack()
    {
        // A forger who rewrites the manifest passes the checksums: the restore still writes no part of the collection.
        var forged = Rewrite("forged.zip", (name, content) => name.StartsWith("collections/0001", StringComparison.Ordinal)
            ? [.. content, .. "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":\"east\"}}\n"u8]
            : content, recomputeChecksums: true);

        var e = await Assert.ThrowsAsync<BackupArchiveException>(() => _target.RestoreAsync(forged));

        Assert.Contains("collections/0001-places.geojsonl line 51", e.Message);
        Assert.Empty(await _target.CollectionsAsync());
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_archives.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A copy of the good archive with its entries changed, one added, one dropped, or a bomb added.</summary>
    private string Rewrite(string name, Func<string, byte[], byte[]> change, (string Name, byte[] Content)? extra = null, string? drop = null,
        (string Name, long Zeros)? bomb = null, bool recomputeChecksums = false)
    {
        var path = Path.Combine(_archives.Path, name);
        using var source = ZipFile.OpenRead(_good);
        var contents = source.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return change(e.FullName, copy.ToArray());
        });
        if (recomputeChecksums)
        {
            contents[BackupManifest.EntryName] = EditManifest(contents[BackupManifest.EntryName], m =>
            {
                foreach (var entry in m["entries"]!.AsArray())
                {
                    var content = contents[(string)entry!["name"]!];
                    (entry["bytes"], entry["sha256"]) = (content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
                }
            });
        }
        using var target = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, content) in contents)
        {
            if (entryName == drop) continue;
            using var stream = target.CreateEntry(entryName).Open();
            stream.Write(content);
        }
        if (extra is { } added)
        {
            using var stream = target.CreateEntry(added.Name).Open();
            stream.Write(added.Content);
        }
        if (bomb is { } zeros)
        {
            using var stream = target.CreateEntry(zeros.Name, CompressionLevel.Optimal).Open();
            var block = new byte[1 << 20];
            for (var written = 0L; written < zeros.Zeros; written += block.Length) stream.Write(block);
        }
        return path;
    }

    private static byte[] EditManifest(byte[] content, Action<JsonObject> edit)
    {
        var manifest = JsonNode.Parse(content)!.AsObject();
        edit(manifest);
        return Encoding.UTF8.GetBytes(manifest.ToJsonString());
    }

    private static byte[] Replace(byte[] content, string from, string to) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace(from, to));
}
