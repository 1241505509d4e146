namespace Meridian.Tests.Cli;

/// <summary>The options tree through the real binary: layered sources, validation that names the setting, masking.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Help_ListsEveryVerbAndServeOption()
    {
        var root = await MeridianProcess.RunAsync(["--help"]);
        var serve = await MeridianProcess.RunAsync(["serve", "--help"]);

        Assert.Equal(0, root.ExitCode);
        foreach (var verb in new[] { "serve", "ingest", "config" }) Assert.Contains(verb, root.Output);
        foreach (var option in new[] { "--data", "--gpkg", "--postgres", "--urls", "--roles", "--set", "--config" }) Assert.Contains(option, serve.Output);
    }

    [Fact]
    public async Task ConfigPrint_MasksTheConnectionString()
    {
        var result = await MeridianProcess.RunAsync(["config", "print", "--postgres", "Host=db;Username=u;Password=hunter2", "--set", "Features:MaxLimit=500",
            "--set", "Cache:Redis=cache:6379,password=swordfish"]);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("hunter2", result.Output);
        Assert.DoesNotContain("swordfish", result.Output);
        Assert.Contains("*****", result.Output);
        Assert.Contains("\"MaxLimit\": 500", result.Output);
    }

    [Fact]
    public async Task ConfigPrint_MasksTheApiKeys()
    {
        var result = await MeridianProcess.RunAsync(["config", "print", "--set", "Security:ApiKeys:0=write-key-0123456789abcdef"]);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("write-key-0123456789abcdef", result.Output);
        Assert.Contains("*****", result.Output);
    }

    [Theory]
    [InlineData("tiny-key-xyz")]
    [InlineData("sha256:1234")]
    public async Task BadApiKey_StopsWithItsPositionNotItsValue(string key)
    {
        var result = await MeridianProcess.RunAsync(["config", "print"], new Dictionary<string, string> { ["MERIDIAN__Security__ApiKeys__0"] = key });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("key #0", result.Error);
        Assert.DoesNotContain(key, result.Error);
    }

    [Fact]
    public async Task ConfigPrint_TakesEnvironmentVariables()
    {
        var result = await MeridianProcess.RunAsync(["config", "print"], new Dictionary<string, string> { ["MERIDIAN__Features__DefaultLimit"] = "25" });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"DefaultLimit\": 25", result.Output);
    }

    [Theory]
    [InlineData("MERIDIAN__Featurs__MaxLimit", "5", "Meridian:Featurs")]
    [InlineData("MERIDIAN__Features__MaxLimt", "5", "Meridian:Features:MaxLimt")]
    [InlineData("MERIDIAN__Features__MaxLimit", "0", "MaxLimit")]
    [InlineData("MERIDIAN__Features__MaxLimit", "lots", "MaxLimit")]
    [InlineData("MERIDIAN__Telemetry__OtlpEndpoint", "not a url", "OtlpEndpoint")]
    [InlineData("MERIDIAN__Cache__Tiles__MaxAge", "-1", "Meridian:Cache:Tiles:MaxAge")]
    [InlineData("MERIDIAN__Cache__MaxEntryBytes", "12", "MaxEntryBytes")]
    [InlineData("MERIDIAN__Ingest__AbandonedUploadsExpireAfter", "00:00:00", "AbandonedUploadsExpireAfter")]
    [InlineData("MERIDIAN__Ingest__AbandonedUploadsExpireAfter", "-1.00:00:00", "AbandonedUploadsExpireAfter")]
    [InlineData("MERIDIAN__Ingest__AbandonedUploadsExpireAfter", "forever", "AbandonedUploadsExpireAfter")]
    [InlineData("MERIDIAN__Gateway__InlineSocketCompletions", "maybe", "Meridian:Gateway:InlineSocketCompletions")]
    [InlineData("MERIDIAN__DeployedRoles__0", "features,tile", "Meridian:DeployedRoles: unknown role(s) tile")]
    public async Task BadSetting_StopsWithItsName(string variable, string value, string named)
    {
        var result = await MeridianProcess.RunAsync(["config", "print"], new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error);
    }

    [Theory]
    [InlineData("--roles", "bogus", "bogus")]
    [InlineData("--gpkg", "/nonexistent/file.gpkg", "/nonexistent/file.gpkg")]
    [InlineData("--set", "NoEquals", "NoEquals")]
    [InlineData("--postgres", "postgres://user:pw@host:notaport/db", "ConnectionString")]
    [InlineData("--set", "Cache:Redis=127.0.0.1:6379,nonsense=1", "Meridian:Cache:Redis")]
    [InlineData("--set", "DeployedRoles:0=bogus", "Meridian:DeployedRoles")]
    public async Task Serve_WithABadOption_ExitsNamingIt(string option, string value, string named)
    {
        var result = await MeridianProcess.RunAsync(["serve", option, value, "--urls", "http://127.0.0.1:0"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error);
    }

    [Theory]
    [InlineData("broken/empty_zero_bytes.gpkg")]
    [InlineData("broken/geopackage_truncated.gpkg")]
    [InlineData("broken/not_json_html_error_page.geojson")]
    public async Task Serve_ABrokenGeoPackage_ExitsNamingTheFile(string file)
    {
        using var data = new TempDirectory();
        var result = await MeridianProcess.RunAsync(["serve", "--gpkg", TestData.Path(file), "--data", data.Path, "--urls", "http://127.0.0.1:0"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Path.GetFileName(file), result.Error);
    }

    // A store that refuses what it was told (a role or database that does not exist, a login refused, a missing bucket)
    // will refuse it on every retry: serving on, answering every request with an error, would hide an operator's mistake
    // until the first client. The process stops naming the setting, without echoing the secret in it.
    [Theory]
    [InlineData("meridian_no_such_role", null, null)]
    [InlineData(null, "meridian_no_such_database", null)]
    [InlineData(null, null, "meridian-no-such-bucket-at-start")]
    public async Task Serve_WithAStoreRefusingItsSettings_ExitsNamingTheSetting(string? role, string? database, string? bucket)
    {
        using var data = new TempDirectory();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostGisTestDatabase.Variable));
        // A server that checks passwords refuses an unknown role's login as it refuses a wrong password (28P01), and one
        // that trusts loopback says the role does not exist (28000): either way the role is named.
        if (role is not null) (connection.Username, connection.Password) = (role, "startup-check-secret");
        if (database is not null) connection.Database = database;
        var arguments = new List<string> { "serve", "--data", data.Path, "--urls", "http://127.0.0.1:0" };
        if (bucket is null) arguments.AddRange(["--postgres", connection.ConnectionString]);
        else
        {
            arguments.AddRange(["--roles", "ingest", "--set", $"Objects:S3:Bucket={bucket}",
                "--set", $"Objects:S3:ServiceUrl={S3TestBucket.Options(bucket).ServiceUrl}", "--set", "Objects:S3:AccessKeyId=S3RVER",
                "--set", "Objects:S3:SecretAccessKey=startup-check-secret"]);
        }

        var result = await MeridianProcess.RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(bucket is null ? "Meridian:PostGis:ConnectionString" : "Meridian:Objects:S3", result.Error);
        Assert.Contains(role ?? database ?? bucket!, result.Error);
        Assert.DoesNotContain("startup-check-secret", result.Error + result.Output);
        if (!string.IsNullOrEmpty(connection.Password)) Assert.DoesNotContain($"={connection.Password}", result.Error + result.Output);
    }

    [Fact]
    public async Task Serve_WithAStoreUnreachable_StaysUpAndSaysSoInTheLogAndReadiness()
    {
        using var data = new TempDirectory();
        var port = MeridianProcess.FreePort();
        using var process = MeridianProcess.Start(["serve", "--postgres", "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d;Timeout=2",
            "--data", data.Path, "--urls", $"http://127.0.0.1:{port}"]);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? ready = null;
            for (var attempt = 0; attempt < 600 && ready is null; attempt++)
            {
                Assert.False(process.HasExited, "meridian serve stopped for a database that is only unreachable");
                try { ready = await client.GetAsync("/ready"); }
                catch (HttpRequestException) { await Task.Delay(100); }
            }

            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready!.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
