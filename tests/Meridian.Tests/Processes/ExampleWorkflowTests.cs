using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Storage.Objects;
using Meridian.Testing;
using Meridian.Tests.Composition;

namespace Meridian.Tests.Processes;

/// <summary>
/// examples/workflows/ingest-buffer-dissolve.json as a user runs it, on a real server with the embedded stores and
/// the real processes: registered through the API, started with a file in the object store, every step's effect
/// checked (the loaded, buffered and dissolved collections, the exported GeoJSON file), and a file with rejected
/// records stopped at the Validate state before anything is buffered.
/// </summary>
public sealed class ExampleWorkflowTests : IAsyncLifetime
{
    private const string ApiKey = "example-workflow-key-0123456789";

    private readonly TempDirectory _data = new();
    private MeridianServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync()
    {
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data.Path,
            ["Meridian:Security:ApiKeys:0"] = ApiKey,
        });
        Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        var definition = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "examples", "workflows", "ingest-buffer-dissolve.json"));
        using var registered = await Client.PostAsync("workflows", new StringContent(definition, Encoding.UTF8, "application/json"));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_file_is_ingested_buffered_dissolved_and_exported()
    {
        var status = await RunAsync(await File.ReadAllBytesAsync(TestData.Path("naturalearth/ne_110m_populated_places_simple.geojson")), "places");

        Assert.True((string?)status["status"] == "successful", status.ToJsonString());
        Assert.Equal(243, await CountAsync("places"));
        Assert.Equal(243, await CountAsync("places_buffered"));
        // One feature per kind of place (featurecla): far fewer than the places.
        var dissolved = await CountAsync("places_dissolved");
        Assert.InRange(dissolved, 2, 20);
        var results = JsonNode.Parse(await Client.GetStringAsync($"jobs/{status["jobID"]}/results"))!;
        var exported = (string)results["output"]!["export"]!["result"]!["object"]!;
        var objects = new LocalObjectStore(Path.Combine(_data.Path, "objects"));
        await using var file = await objects.OpenReadAsync(ObjectKey.Parse(exported), CancellationToken.None);
        var geojson = await JsonNode.ParseAsync(file);
        Assert.Equal(dissolved, geojson!["features"]!.AsArray().Count);
    }

    [Fact]
    public async Task Rejected_records_stop_the_workflow_before_buffering()
    {
        const string OneOutOfRange = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"featurecla": "a"}, "geometry": {"type": "Point", "coordinates": [10, 50]}},
              {"type": "Feature", "properties": {"featurecla": "a"}, "geometry": {"type": "Point", "coordinates": [200, 10]}},
              {"type": "Feature", "properties": {"featurecla": "b"}, "geometry": {"type": "Point", "coordinates": [11, 51]}}]}
            """;
        var status = await RunAsync(Encoding.UTF8.GetBytes(OneOutOfRange), "outliers");

        Assert.Equal("failed", (string?)status["status"]);
        Assert.True(((string?)status["message"])?.Contains("Ingest.Rejected", StringComparison.Ordinal), status.ToJsonString());
        Assert.Equal(2, await CountAsync("outliers"));
        using var buffered = await Client.GetAsync("collections/outliers_buffered");
        Assert.Equal(HttpStatusCode.NotFound, buffered.StatusCode);
    }

    private async Task<JsonNode> RunAsync(byte[] file, string collection)
    {
        var objects = new LocalObjectStore(Path.Combine(_data.Path, "objects"));
        var key = ObjectKey.Parse($"raw/{collection}.geojson");
        await objects.PutAsync(key, new MemoryStream(file), CancellationToken.None);
        var input = new JsonObject
        {
            ["object"] = key.Value,
            ["collection"] = collection,
            ["distance"] = 10_000,
            ["dissolveBy"] = "featurecla",
            ["buffered"] = collection + "_buffered",
            ["dissolved"] = collection + "_dissolved",
        };
        using var started = await Client.PostAsync("workflows/ingest-buffer-dissolve/executions",
            new StringContent(input.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var job = started.Headers.Location!;
        for (var i = 0; i < 1200; i++)
        {
            var status = JsonNode.Parse(await Client.GetStringAsync(job))!;
            if ((string?)status["status"] is "successful" or "failed" or "dismissed") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException($"The workflow {job} did not end within two minutes.");
    }

    private async Task<int> CountAsync(string collection)
    {
        var page = JsonNode.Parse(await Client.GetStringAsync($"collections/{collection}/items?limit=1"))!;
        return (int)page["numberMatched"]!;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Meridian.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Meridian.slnx) was not found.");
    }
}
