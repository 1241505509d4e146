using Meridian.Storage.GeoPackage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian backup</c> and <c>restore</c> as an operator runs them: exit codes, messages, what is left behind.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private string Data(string name) => Path.Combine(_work.Path, name);

    private static async Task<int> CollectionCountAsync(string data) =>
        (await new GeoPackageDirectoryStore(Path.Combine(data, "features"), NullLogger.Instance).GetCollectionsAsync(CancellationToken.None)).Count;

    [Fact]
    public async Task BackupThenRestore_ElsewhereAndAgain()
    {
        var ingest = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", "rivers", "--data", Data("a")]);
        Assert.True(ingest.ExitCode == 0, ingest.Error);

        var backup = await MeridianProcess.RunAsync(["backup", _work.Path + "/archives/", "--data", Data("a")]);
        var archive = backup.Output.Trim();
        var dryRun = await MeridianProcess.RunAsync(["restore", archive, "--dry-run", "--data", Data("b")]);
        var restore = await MeridianProcess.RunAsync(["restore", archive, "--data", Data("b")]);
        var again = await MeridianProcess.RunAsync(["restore", archive, "--data", Data("b")]);
        var replace = await MeridianProcess.RunAsync(["restore", archive, "--replace", "--data", Data("b")]);

        Assert.True(backup.ExitCode == 0, backup.Error);
        Assert.Matches(@"meridian-backup-\d{8}T\d{6}Z\.zip$", archive);
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("collection\trivers\t13 features", dryRun.Output);
        Assert.True(restore.ExitCode == 0, restore.Error);
        Assert.Contains("rivers: restored 13 features", restore.Error);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("collection 'rivers' exists; --replace replaces it", again.Error);
        Assert.Contains("nothing was restored", again.Error);
        Assert.True(replace.ExitCode == 0, replace.Error);
        Assert.Equal(1, await CollectionCountAsync(Data("b")));
    }

    [Fact]
    public async Task DamagedArchive_Exit1NamingTheProblem_NothingWritten()
    {
        await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", "rivers", "--data", Data("a")]);
        var archive = Path.Combine(_work.Path, "rivers.zip");
        await MeridianProcess.RunAsync(["backup", archive, "--data", Data("a")]);
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(archive, bytes[..(bytes.Length * 2 / 3)]);

        var restore = await MeridianProcess.RunAsync(["restore", archive, "--data", Data("b")]);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("cut short", restore.Error);
        Assert.Contains("nothing was restored", restore.Error);
        Assert.DoesNotContain("   at ", restore.Error);
        Assert.Equal(0, await CollectionCountAsync(Data("b")));
    }

    [Fact]
    public async Task BackupOverAnExistingFile_IsRefused()
    {
        var archive = Path.Combine(_work.Path, "taken.zip");
        await File.WriteAllTextAsync(archive, "mine");

        var backup = await MeridianProcess.RunAsync(["backup", archive, "--data", Data("a")]);

        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("exists", backup.Error);
        Assert.Equal("mine", await File.ReadAllTextAsync(archive));
        Assert.Empty(Directory.EnumerateFiles(_work.Path, "taken.zip.partial-*"));
    }

    [Theory]
    [InlineData("s3://")]
    [InlineData("s3:///key")]
    [InlineData("s3://bucket/../x")]
    public async Task BadS3Location_Exit2(string location)
    {
        var backup = await MeridianProcess.RunAsync(["backup", location, "--data", Data("a")]);

        Assert.Equal(2, backup.ExitCode);
        Assert.Contains("s3://BUCKET/KEY", backup.Error);
    }
}
