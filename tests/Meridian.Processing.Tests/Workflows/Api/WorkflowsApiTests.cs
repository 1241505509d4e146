using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Processing.Tests.Workflows;

namespace Meridian.Processing.Tests.Workflows.Api;

/// <summary>The workflow API on a real server: registration and its checks, executions as jobs, failures that leave the worker up.</summary>
public sealed class WorkflowsApiTests : IAsyncLifetime
{
    private const string Pipeline = """
        {"Name":"pipeline","Comment":"check, then add","StartAt":"Check","States":{
          "Check":{"Type":"Task","Process":"strict","Parameters":{"distance.$":"$.distance"},"ResultPath":"$.checked","Next":"Add"},
          "Add":{"Type":"Task","Process":"add","Parameters":{"a.$":"$.checked.distance","b":1},"End":true}}}
        """;

    private readonly TempDirectory _data = new();
    private ProcessingHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ProcessingHost.StartAsync(_data.Path, [new StrictProcess(), new AddProcess(), new MirrorProcess()]);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpResponseMessage Response, JsonNode Body)> PostAsync(string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await Client.SendAsync(request);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_registered_workflow_runs_as_a_job_with_its_step_history()
    {
        var (registered, _) = await PostAsync("workflows", Pipeline);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.EndsWith("/workflows/pipeline", registered.Headers.Location!.ToString());

        var (started, job) = await PostAsync("workflows/pipeline/executions", """{"distance":4}""");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("workflow", (string?)job["processID"]);
        var status = await JobPolling.WaitForEndAsync(Client, started.Headers.Location!);

        Assert.Equal("successful", (string?)status["status"]);
        var results = JsonNode.Parse(await Client.GetStringAsync(started.Headers.Location + "/results"))!;
        Assert.Equal(5, (double)results["output"]!["sum"]!);
        Assert.Equal(["Check", "Add"], results["history"]!.AsArray().Select(h => (string)h!["path"]!));
        Assert.Equal("pipeline", (string?)status["details"]!["workflow"]);
    }

    [Fact]
    public async Task A_process_given_invalid_input_fails_the_job_clearly_and_the_worker_runs_the_next()
    {
        await PostAsync("workflows", Pipeline);

        var (bad, _) = await PostAsync("workflows/pipeline/executions", """{"distance":-3}""");
        var failed = await JobPolling.WaitForEndAsync(Client, bad.Headers.Location!);
        var (good, _) = await PostAsync("workflows/pipeline/executions", """{"distance":1}""");
        var succeeded = await JobPolling.WaitForEndAsync(Client, good.Headers.Location!);

        Assert.Equal("failed", (string?)failed["status"]);
        Assert.Equal("workflow 'pipeline' failed at Check: Process.InvalidInput: The process 'strict' refused its input 'distance': "
            + "distance must be a non-negative number.", (string?)failed["message"]);
        Assert.Equal("successful", (string?)succeeded["status"]);
    }

    [Fact]
    public async Task The_same_idempotency_key_starts_one_execution()
    {
        await PostAsync("workflows", Pipeline);

        var (_, first) = await PostAsync("workflows/pipeline/executions", """{"distance":1}""", idempotencyKey: "run-1");
        var (_, second) = await PostAsync("workflows/pipeline/executions", """{"distance":1}""", idempotencyKey: "run-1");

        Assert.Equal((string?)first["jobID"], (string?)second["jobID"]);
    }

    [Fact]
    public async Task Workflows_are_listed_read_replaced_and_deleted()
    {
        await PostAsync("workflows", Pipeline);
        var (replaced, _) = await PostAsync("workflows", Pipeline.Replace("check, then add", "v2", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("v2", (string?)JsonNode.Parse(await Client.GetStringAsync("workflows/pipeline"))!["Comment"]);
        var list = JsonNode.Parse(await Client.GetStringAsync("workflows"))!["workflows"]!.AsArray();
        Assert.Equal("pipeline", (string?)Assert.Single(list)!["name"]);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("workflows/pipeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("workflows/pipeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("workflows/pipeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("workflows/pipeline/executions", "{}")).Response.StatusCode);
    }

    [Fact]
    public async Task Writes_need_the_credential()
    {
        using var anonymous = new HttpClient { BaseAddress = Client.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("workflows", Json(Pipeline))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("workflows/pipeline/executions", Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task An_invalid_definition_is_a_400_listing_every_error()
    {
        var (response, problem) = await PostAsync("workflows", """
            {"Name":"broken","StartAt":"A","States":{"A":{"Type":"Task","Process":"nope","Next":"B"},"C":{"Type":"Succeed"}}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = problem["errors"]!.AsArray().Select(e => $"{e!["path"]}: {e["detail"]}").ToList();
        Assert.Equal([
            "$.States['A'].Process: there is no process 'nope' on this server",
            "$.States['A'].Next: there is no state 'B' here",
            "$.States['C']: no path from StartAt reaches the state 'C'",
        ], errors);
    }

    public static TheoryData<string> HostileDefinitions()
    {
        var deepJson = new string('[', 5000) + new string(']', 5000);
        var nested = """{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}""";
        for (var i = 0; i < 30; i++) nested = """{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[""" + nested + "]}}}";
        return new TheoryData<string>
        {
            deepJson,
            """{"Name":"deep",""" + nested[1..],
            """{"Name":"fan","StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1e12,"End":true,"Iterator":{"StartAt":"I","States":{"I":{"Type":"Succeed"}}}}}}""",
            """{"Name":"path","StartAt":"T","States":{"T":{"Type":"Task","Process":"mirror","ResultPath":"$[\"x\"]","End":true}}}""",
            """{"Name":"path","StartAt":"T","States":{"T":{"Type":"Task","Process":"mirror","Parameters":{"a.$":"$.a[99999999999]"},"End":true}}}""",
            """{"Name":"\u0000","StartAt":"\u0000","States":{"\u0000":{"Type":"Succeed"}}}""",
            "{\"Name\":\"x\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\"A\":{\"Type\":\"Succeed\"}}}",
            "not json",
            "",
        };
    }

    [Theory]
    [MemberData(nameof(HostileDefinitions))]
    public async Task A_hostile_definition_is_a_400_never_a_500(string json)
    {
        var (response, problem) = await PostAsync("workflows", json);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {problem}");
        Assert.NotNull((string?)problem["detail"]);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413()
    {
        var (response, _) = await PostAsync("workflows", "{\"Comment\":\"" + new string('x', 300_000) + "\"}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
