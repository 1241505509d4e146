using System.Text.Json.Nodes;
using Meridian.Processing.Jobs;
using Meridian.Processing.Library.Processes;
using Meridian.Processing.Tests.Library;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Tests.Jobs;

public sealed class ProcessJobHandlerTests
{
    private static JobRecord Job(string type, string inputs) =>
        new("job1", type, JobStatus.Running, inputs, null, null, null, null, null, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task RunAsync_ValidInputs_SucceedsWithTheResultsDocument()
    {
        await using var harness = ProcessHarness.Inline();
        var handler = new ProcessJobHandler(harness.Create<CentroidProcess>());

        var outcome = await handler.RunAsync(Job("centroid", $$"""{"input": {{ProcessHarness.Features("POINT (1 2)")}}}"""), new Progress<JobProgress>(), CancellationToken.None);

        Assert.Equal("centroid", handler.Type);
        Assert.Equal(JobStatus.Successful, outcome.Status);
        Assert.Equal("FeatureCollection", (string)JsonNode.Parse(outcome.Results!)!["result"]!["type"]!);
    }

    [Fact]
    public async Task RunAsync_InlineResult_StoredAsTheWriterWroteIt()
    {
        await using var harness = ProcessHarness.Inline();
        var handler = new ProcessJobHandler(harness.Create<CentroidProcess>());

        var outcome = await handler.RunAsync(Job("centroid", $$"""{"input": {{ProcessHarness.Features(("POINT (1.5 2)", """{"name": "a\"b"}"""))}}}"""),
            new Progress<JobProgress>(), CancellationToken.None);

        Assert.Equal("""
            {"result":{"type":"FeatureCollection","features":[{"type":"Feature","id":"1","geometry":{"type":"Point","coordinates":[1.5,2]},"properties":{"name":"a\u0022b"}}]}}
            """, outcome.Results);
    }

    [Theory]
    [InlineData("""{"input": {"type": "Point", "coordinates": [1, 2]}, "distance": "x"}""", "'distance' must be a number")]
    [InlineData("""{"nope": 1}""", "Unknown input 'nope'")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("{", "not a JSON object")]
    public async Task RunAsync_BadInputs_FailsWithTheReason(string inputs, string expected)
    {
        await using var harness = ProcessHarness.Inline();

        var outcome = await new ProcessJobHandler(harness.Create<BufferProcess>()).RunAsync(Job("buffer", inputs), new Progress<JobProgress>(), CancellationToken.None);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains(expected, outcome.Message, StringComparison.Ordinal);
    }
}
