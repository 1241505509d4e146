using Meridian.Storage.GeoPackage;
using Meridian.Storage.PostGis;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian ingest</c> as a user runs it, into the embedded store and into PostGIS.</summary>
public sealed class IngestCommandTests
{
    private static async Task<IReadOnlyList<Meridian.Storage.IFeatureCollection>> EmbeddedCollectionsAsync(string data) =>
        await new GeoPackageDirectoryStore(Path.Combine(data, "features"), NullLogger.Instance).GetCollectionsAsync(CancellationToken.None);

    [Fact]
    public async Task Ingest_GeoJson_CreatesACollectionGdalCanOpen()
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_admin_0_countries.geojson"), "--collection", "countries", "--data", data.Path]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("loaded 177 of 177 records", result.Error);
        var collection = Assert.Single(await EmbeddedCollectionsAsync(data.Path));
        Assert.Equal(177, await collection.CountAsync(new(), CancellationToken.None));
        var ogr = await Clients.ExternalProcess.RunAsync("ogrinfo", ["-ro", "-so", Path.Combine(data.Path, "features", "countries.gpkg"), "countries"], TimeSpan.FromMinutes(1));
        Assert.Contains("Feature Count: 177", ogr.Output);
    }

    [Fact]
    public async Task Ingest_Twice_Appends()
    {
        using var data = new TempDirectory();
        string[] args = ["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", "rivers", "--data", data.Path];

        await MeridianProcess.RunAsync(args);
        var second = await MeridianProcess.RunAsync([.. args, "--mode", "append"]);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(26, await Assert.Single(await EmbeddedCollectionsAsync(data.Path)).CountAsync(new(), CancellationToken.None));
    }

    [Theory]
    [InlineData("broken/truncated_mid_coordinate.geojson")]
    [InlineData("broken/empty_zero_bytes.geojson")]
    [InlineData("broken/whitespace_only.geojson")]
    [InlineData("broken/not_json_html_error_page.geojson")]
    [InlineData("broken/wrong_type_member_typo.geojson")]
    [InlineData("broken/deeply_nested_arrays_100000.geojson")]
    [InlineData("broken/nonfinite_nan_infinity_coordinates.geojson")]
    [InlineData("broken/feature_missing_geometry_member.geojson")]
    public async Task Ingest_BrokenFile_FailsClearlyAndLeavesNothing(string file)
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path(file), "--collection", "broken", "--data", data.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing was loaded", result.Error);
        Assert.DoesNotContain("   at ", result.Error); // a message, not a stack trace
        Assert.Empty(await EmbeddedCollectionsAsync(data.Path));
        Assert.False(File.Exists(Path.Combine(data.Path, "features", "broken.gpkg")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Ingest_UnsafeCollectionName_IsRefused(string name)
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"), "--collection", name, "--data", data.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(data.Path, "*", SearchOption.AllDirectories), p => p.EndsWith(".gpkg"));
    }

    [Fact]
    public async Task Ingest_IntoPostGis_LoadsEveryFeature()
    {
        await using var database = await PostGisTestDatabase.CreateAsync();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_10m_airports.geojson"), "--collection", "airports", "--postgres", database.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(891L, await database.ScalarAsync<long>("SELECT count(*) FROM airports"));
        await using var store = new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance);
        var collection = Assert.Single(await store.GetCollectionsAsync(CancellationToken.None));
        Assert.Equal(Meridian.Storage.Schema.GeometryKind.Point, collection.Schema.GeometryType);
    }

    [Theory]
    [InlineData("--crs", "EPSG:abc", 2)]
    [InlineData("--crs", "EPSG:-5", 2)]
    [InlineData("--crs", "EPSG:999999", 1)]
    [InlineData("--mode", "destroy", 1)]
    [InlineData("--invalid", "ignore", 1)]
    [InlineData("--layer", "no-such-layer", 1)]
    public async Task Ingest_BadOption_FailsClearlyAndLoadsNothing(string option, string value, int exitCode)
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"),
            "--collection", "rivers", "--data", data.Path, option, value]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Empty(await EmbeddedCollectionsAsync(data.Path));
    }

    [Fact]
    public async Task Ingest_OfADirectory_SaysItIsOne()
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", data.Path, "--collection", "all", "--data", data.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{data.Path} is a directory", result.Error);
    }

    [Fact]
    public async Task Ingest_BadRows_LoadsTheRestAndListsEachRejectedRecord()
    {
        using var data = new TempDirectory();

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("broken/csv_wkt_bad_rows.csv"), "--collection", "shapes", "--data", data.Path]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("rejected", result.Error);
        Assert.Contains("record 2:", result.Error);
        Assert.Contains("record 4:", result.Error);
    }

    [Fact]
    public async Task Ingest_ThroughARunningServer_UploadsFollowsTheJobAndPrintsTheReport()
    {
        using var data = new TempDirectory();
        const string key = "cli-remote-ingest-key-0123456789";
        await using var server = await Composition.MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = data.Path,
            ["Meridian:Security:ApiKeys:0"] = key,
        });

        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("broken/csv_wkt_bad_rows.csv"), "--collection", "shapes",
            "--server", server.Address.ToString()], new Dictionary<string, string> { ["MERIDIAN_API_KEY"] = key });
        var refused = await MeridianProcess.RunAsync(["ingest", TestData.Path("broken/csv_wkt_bad_rows.csv"), "--collection", "other",
            "--server", server.Address.ToString()]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("successful", result.Error);
        Assert.Contains("\"rejections\"", result.Output);
        Assert.Single(await EmbeddedCollectionsAsync(data.Path));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("401", refused.Error);
    }

    [Fact]
    public async Task Ingest_OfALargeFile_RefusedByTheServer_ShowsTheServersReason()
    {
        // Larger than the 30 MB a server drains of a request it refuses: a refusal sent while the file was still being
        // uploaded used to reach the user as "cannot reach the server", the connection closed under the upload.
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "large.geojson");
        await using (var writer = File.CreateText(file))
        {
            await writer.WriteAsync("{\"type\":\"FeatureCollection\",\"features\":[");
            for (var i = 0; i < 420_000; i++)
                await writer.WriteAsync($"{(i == 0 ? "" : ",")}{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[1.5,2.5]}}}}");
            await writer.WriteAsync("]}");
        }
        await using var server = await Composition.MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = Path.Combine(data.Path, "server"),
            ["Meridian:Security:ApiKeys:0"] = "cli-remote-ingest-key-0123456789",
        });

        var refused = await MeridianProcess.RunAsync(["ingest", file, "--collection", "large", "--server", server.Address.ToString()],
            new Dictionary<string, string> { ["MERIDIAN_API_KEY"] = "not-the-servers-key-0123456789" });

        Assert.True(new FileInfo(file).Length > 32_000_000);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("the server answered 401", refused.Error);
        Assert.DoesNotContain("cannot reach", refused.Error);
    }

    /// <summary>A GeoJSON file of many points: long enough to read and load that Ctrl-C finds the ingest running.</summary>
    // 1.5 million points take the ingest ~20 s on an idle machine: the interrupt must land while it reads, also when the
    // rest of the suite runs beside it and slows the test's own polling (400,000 were once loaded before it landed).
    private static async Task<string> PointsAsync(string folder, int count = 1_500_000)
    {
        var file = Path.Combine(folder, "points.geojson");
        await using var writer = File.CreateText(file);
        await writer.WriteAsync("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < count; i++)
            await writer.WriteAsync($"{(i == 0 ? "" : ",")}{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[1.5,2.5]}}}}");
        await writer.WriteAsync("]}");
        return file;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Still waiting, after a minute, for {what}.");
    }

    [Fact]
    public async Task Ingest_InterruptedByCtrlC_RollsBackAndDeletesItsTemporaryFiles()
    {
        using var data = new TempDirectory();
        var temp = Directory.CreateDirectory(Path.Combine(data.Path, "tmp")).FullName;
        var file = await PointsAsync(data.Path);
        var error = new System.Text.StringBuilder();
        using var process = MeridianProcess.Start(["ingest", file, "--collection", "points", "--data", data.Path], new Dictionary<string, string> { ["TMPDIR"] = temp });
        process.ErrorDataReceived += (_, e) => { lock (error) error.AppendLine(e.Data); };
        try
        {
            // The spool of accepted records is there from the first records read until the ingest ends. Watched, and the
            // interrupt sent, from a thread of its own: a poll that waits for a busy thread pool can see it too late.
            await Task.Factory.StartNew(() =>
            {
                var deadline = DateTime.UtcNow.AddMinutes(1);
                while (!Directory.EnumerateFiles(temp, "meridian-*").Any() && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
                if (!process.HasExited) Posix.Interrupt(process);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        lock (error)
        {
            Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}, not 130; standard error:\n{error}");
            Assert.Contains("points.geojson: cancelled; nothing was loaded from it", error.ToString());
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp, "meridian-*"));
        Assert.Empty(await EmbeddedCollectionsAsync(data.Path));
    }

    [Fact]
    public async Task Ingest_ThroughAServer_InterruptedByCtrlC_DismissesTheJob()
    {
        using var data = new TempDirectory();
        const string key = "cli-remote-ingest-key-0123456789";
        var file = await PointsAsync(data.Path);
        await using var server = await Composition.MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = Path.Combine(data.Path, "server"),
            ["Meridian:Security:ApiKeys:0"] = key,
        });
        server.Client.DefaultRequestHeaders.Add("X-API-Key", key);
        async Task<System.Text.Json.Nodes.JsonNode?> JobAsync() =>
            System.Text.Json.Nodes.JsonNode.Parse(await server.Client.GetStringAsync("jobs"))!["jobs"]!.AsArray().SingleOrDefault();
        using var process = MeridianProcess.Start(["ingest", file, "--collection", "points", "--server", server.Address.ToString()],
            new Dictionary<string, string> { ["MERIDIAN_API_KEY"] = key });
        try
        {
            await UntilAsync(async () => (string?)(await JobAsync())?["status"] == "running" || process.HasExited, "the job to run");
            Posix.Interrupt(process);
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        Assert.Equal(130, process.ExitCode);
        Assert.Equal("dismissed", (string?)(await JobAsync())!["status"]);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Client.GetAsync("collections/points")).StatusCode);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/")]
    public async Task Ingest_BadServerAddress_IsRefused(string address)
    {
        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"),
            "--collection", "rivers", "--server", address]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--server", result.Error);
    }

    [Fact]
    public async Task Ingest_ToAnUnreachableServer_FailsWithAMessage()
    {
        var result = await MeridianProcess.RunAsync(["ingest", TestData.Path("naturalearth/ne_110m_rivers_lake_centerlines.geojson"),
            "--collection", "rivers", "--server", "http://127.0.0.1:9/"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
