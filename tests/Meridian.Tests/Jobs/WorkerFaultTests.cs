using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Processing.Jobs;
using Meridian.Storage.PostGis.Jobs;
using Meridian.Tests.Cli;
using Meridian.Tests.Composition;

namespace Meridian.Tests.Jobs;

/// <summary>A RabbitMQ node of the tests' own (they stop it) and a PostGIS database, shared by the fault tests.</summary>
public sealed class DistributedJobsFixture : IAsyncLifetime
{
    public RabbitMqBroker Broker { get; private set; } = null!;

    public PostGisTestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await RabbitMqBroker.StartPrivateAsync();
        Database = await PostGisTestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// Jobs in distributed mode, with real processes: an API server that accepts ingest jobs, worker processes
/// (<c>meridian serve --roles worker</c>) that run them, RabbitMQ between them and PostgreSQL as the job and
/// feature store. A worker killed mid-job and a broker restarted under queued jobs lose nothing and do nothing twice.
/// </summary>
public sealed class WorkerFaultTests(DistributedJobsFixture fixture) : IClassFixture<DistributedJobsFixture>, IAsyncLifetime
{
    private const string ApiKey = "worker-fault-test-key-0123456789";

    private readonly TempDirectory _data = new();
    private readonly List<System.Diagnostics.Process> _workers = [];
    private MeridianServer _api = null!;

    private Dictionary<string, string> Settings => new()
    {
        ["Meridian:Data"] = _data.Path,
        ["Meridian:PostGis:ConnectionString"] = fixture.Database.ConnectionString,
        ["Meridian:Messaging:RabbitMq"] = fixture.Broker.Uri.ToString(),
        ["Meridian:Security:ApiKeys:0"] = ApiKey,
    };

    public async Task InitializeAsync()
    {
        var settings = Settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        settings["Meridian:Roles:0"] = "ingest,processes,features";
        _api = await MeridianServer.StartAsync(settings);
        _api.Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers.Where(w => !w.HasExited)) worker.Kill(entireProcessTree: true);
        foreach (var worker in _workers) worker.Dispose();
        await _api.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>A worker process on the same stores and broker, returned once it is ready.</summary>
    private async Task<System.Diagnostics.Process> StartWorkerAsync()
    {
        var port = MeridianProcess.FreePort();
        var environment = Settings.ToDictionary(s => "MERIDIAN__" + s.Key["Meridian:".Length..].Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        var worker = MeridianProcess.Start(["serve", "--roles", "worker", "--urls", $"http://127.0.0.1:{port}"], environment);
        _workers.Add(worker);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.False(worker.HasExited, "the worker exited early");
            try
            {
                if ((await client.GetAsync("/ready")).StatusCode == HttpStatusCode.OK) return worker;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the worker did not become ready within a minute");
    }

    private async Task<Uri> SubmitAsync(string file, string collection)
    {
        using var form = new MultipartFormDataContent { { new StringContent(collection), "collection" } };
        var content = new StreamContent(File.OpenRead(file));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        form.Add(content, "file", Path.GetFileName(file));
        var response = await _api.Client.PostAsync("ingest", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!;
    }

    private async Task<JsonNode> StatusAsync(Uri job) => JsonNode.Parse(await _api.Client.GetStringAsync(job))!;

    private async Task<JsonNode> WaitForStatusAsync(Uri job, params string[] statuses)
    {
        for (var i = 0; i < 3000; i++)
        {
            var status = await StatusAsync(job);
            if (statuses.Contains((string?)status["status"])) return status;
            await Task.Delay(50);
        }
        throw new TimeoutException($"The job {job} did not reach {string.Join(" or ", statuses)} within a few minutes.");
    }

    private async Task<long> CountAsync(string collection) =>
        (long)JsonNode.Parse(await _api.Client.GetStringAsync($"collections/{collection}/items?limit=1"))!["numberMatched"]!;

    /// <summary>A GeoJSON file of <paramref name="count"/> points, large enough to be caught mid-load.</summary>
    private string PointsFile(int count)
    {
        var path = Path.Combine(_data.Path, $"points-{count}.geojson");
        using var writer = new StreamWriter(path, false, Encoding.UTF8);
        writer.Write("""{"type":"FeatureCollection","features":[""");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) writer.Write(',');
            var lon = (i % 3600 / 10.0 - 180).ToString("0.0", CultureInfo.InvariantCulture);
            var lat = (i / 3600 % 1700 / 10.0 - 85).ToString("0.0", CultureInfo.InvariantCulture);
            writer.Write($$$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[{{{lon}}},{{{lat}}}]},"properties":{"n":{{{i}}},"name":"point {{{i}}}"}}""");
        }
        writer.Write("]}");
        return path;
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_the_job_to_another_which_completes_it_once()
    {
        var doomed = await StartWorkerAsync();
        var job = await SubmitAsync(PointsFile(200_000), "points");
        await WaitForStatusAsync(job, "running");

        doomed.Kill(entireProcessTree: true);
        await doomed.WaitForExitAsync();
        await StartWorkerAsync();
        var done = await WaitForStatusAsync(job, "successful", "failed");

        Assert.Equal("successful", (string?)done["status"]);
        // The kill interrupted the first attempt; the second, by the new worker, finished the job.
        await using var store = new PostgresJobStore(fixture.Database.ConnectionString);
        Assert.Equal(2, (await store.GetAsync(job.Segments[^1], CancellationToken.None))!.Attempts);
        // Output written once: the second attempt's load is the only one (one transaction), no feature twice.
        Assert.Equal(200_000, await CountAsync("points"));
        var results = JsonNode.Parse(await _api.Client.GetStringAsync(job + "/results"))!;
        Assert.Equal(200_000, (long)results["loaded"]!);
    }

    [Fact]
    public async Task Jobs_queued_while_rabbitmq_restarts_are_all_run()
    {
        const int before = 12;
        var file = PointsFile(10);
        var jobs = new List<Uri>();
        for (var i = 0; i < before; i++) jobs.Add(await SubmitAsync(file, $"queued_{i}"));
        Assert.Equal(before, await fixture.Broker.QueueDepthAsync(JobQueue.Queue));

        await fixture.Broker.RestartAsync();

        // Nothing lost by the broker, and the API's own connection came back for the next job.
        Assert.Equal(before, await fixture.Broker.QueueDepthAsync(JobQueue.Queue));
        jobs.Add(await SubmitAsync(file, "after_restart"));
        Assert.Equal(before + 1, await fixture.Broker.QueueDepthAsync(JobQueue.Queue));
        await StartWorkerAsync();
        foreach (var job in jobs) Assert.Equal("successful", (string?)(await WaitForStatusAsync(job, "successful", "failed"))["status"]);
        for (var i = 0; i < before; i++) Assert.Equal(10, await CountAsync($"queued_{i}"));
        Assert.Equal(10, await CountAsync("after_restart"));
    }
}
