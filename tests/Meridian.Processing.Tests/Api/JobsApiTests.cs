using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Processing.Tests.Workflows;

namespace Meridian.Processing.Tests.Api;

/// <summary>The job endpoints of OGC API – Processes Part 1 on a real server: the job list's filters and pages, status, results, dismissal.</summary>
public sealed class JobsApiTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ProcessingHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ProcessingHost.StartAsync(_data.Path, [new MirrorProcess(), new StrictProcess()], runProcessJobs: true);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>Starts an asynchronous execution and waits for its job to end.</summary>
    private async Task<JsonNode> RunJobAsync(string process, string inputs = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"processes/{process}/execution")
        {
            Content = new StringContent($$"""{"inputs": {{inputs}} }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Prefer", "respond-async");
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await JobPolling.WaitForEndAsync(Client, response.Headers.Location!);
    }

    private async Task<List<string>> JobIdsAsync(string query) =>
        (await GetJsonAsync("jobs" + query))["jobs"]!.AsArray().Select(j => (string)j!["jobID"]!).ToList();

    private async Task<JsonNode> GetJsonAsync(string url) => JsonNode.Parse(await Client.GetStringAsync(url))!;

    private static string? Link(JsonNode list, string rel) =>
        (string?)list["links"]!.AsArray().FirstOrDefault(l => (string?)l!["rel"] == rel)?["href"];

    // An empty Idempotency-Key used to be a key like any other: every request sending one got the first one's job and
    // its results. A key longer than an index holds would have failed in PostgreSQL's unique index (a 500).
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("long")]
    public async Task An_empty_or_overlong_idempotency_key_is_a_400_problem_and_starts_no_job(string key)
    {
        var before = await JobIdsAsync("?limit=1000");
        async Task<HttpResponseMessage> ExecuteAsync(string inputs)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "processes/mirror/execution")
            {
                Content = new StringContent($$"""{"inputs": {{inputs}} }""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Prefer", "respond-async");
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key == "long" ? new string('k', 256) : key);
            return await Client.SendAsync(request);
        }

        using var first = await ExecuteAsync("""{"value": "one"}""");
        using var second = await ExecuteAsync("""{"value": "two"}""");

        foreach (var response in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await JobIdsAsync("?limit=1000"));
    }

    // /req/core/job-creation-success-async: 201, Location, and a statusInfo, which has no nullable members: an accepted
    // job's unknown started, finished, progress and message are left out, not null.
    [Fact]
    public async Task An_accepted_job_s_status_leaves_out_what_is_not_known_yet()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "processes/mirror/execution")
        {
            Content = new StringContent("""{"inputs": {}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Prefer", "respond-async");
        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("accepted", (string)status["status"]!);
        Assert.Equal(response.Headers.Location!.ToString(), (string)status["links"]![0]!["href"]!);
        Assert.DoesNotContain(status, m => m.Value is null);
        Assert.False(status.ContainsKey("started"));
        await JobPolling.WaitForEndAsync(Client, response.Headers.Location!);
    }

    // /req/job-list/processID-response, /req/job-list/status-response, /req/job-list/type-response, /req/job-list/datetime-response,
    // /req/job-list/duration-response.
    [Fact]
    public async Task The_job_list_filters_by_process_status_type_datetime_and_duration()
    {
        var mirror = (string)(await RunJobAsync("mirror"))["jobID"]!;
        var failed = (string)(await RunJobAsync("strict"))["jobID"]!;

        Assert.Equal([failed, mirror], await JobIdsAsync(""));
        Assert.Equal([mirror], await JobIdsAsync("?processID=mirror"));
        Assert.Equal([failed, mirror], await JobIdsAsync("?processID=mirror,strict"));
        Assert.Equal([failed, mirror], await JobIdsAsync("?processID=mirror&processID=strict"));
        Assert.Equal([failed], await JobIdsAsync("?status=failed"));
        Assert.Equal([failed, mirror], await JobIdsAsync("?status=successful&status=failed"));
        Assert.Empty(await JobIdsAsync("?status=running"));
        Assert.Equal([failed, mirror], await JobIdsAsync("?type=process"));
        Assert.Empty(await JobIdsAsync("?type=openeo"));
        Assert.Equal([failed, mirror], await JobIdsAsync("?datetime=2000-01-01T00:00:00Z/.."));
        Assert.Empty(await JobIdsAsync("?datetime=../2000-01-01T00:00:00Z"));
        Assert.Equal([failed, mirror], await JobIdsAsync("?minDuration=0&maxDuration=86400"));
        Assert.Empty(await JobIdsAsync("?minDuration=86400"));
    }

    // /req/job-list/links (self), /req/job-list/limit-response, and the next and prev pages.
    [Fact]
    public async Task The_job_list_links_itself_and_pages_through_the_jobs()
    {
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++) jobs.Insert(0, (string)(await RunJobAsync("mirror"))["jobID"]!);

        var first = await GetJsonAsync("jobs?limit=2");
        Assert.EndsWith("/jobs?limit=2", Link(first, "self"));
        Assert.Null(Link(first, "prev"));
        Assert.Equal(jobs[..2], first["jobs"]!.AsArray().Select(j => (string)j!["jobID"]!));

        var second = await GetJsonAsync(Link(first, "next")!);
        Assert.Equal(jobs[2..], second["jobs"]!.AsArray().Select(j => (string)j!["jobID"]!));
        Assert.Null(Link(second, "next"));
        Assert.Equal(jobs[..2], (await GetJsonAsync(Link(second, "prev")!))["jobs"]!.AsArray().Select(j => (string)j!["jobID"]!));
    }

    // /req/dismiss/job-dismiss-success: 200 with the statusInfo, status "dismissed", also for a job that had ended; its results go.
    [Fact]
    public async Task Dismissing_an_ended_job_answers_dismissed_and_its_results_are_gone()
    {
        var job = await RunJobAsync("mirror");
        var self = (string)job["links"]![0]!["href"]!;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(self + "/results")).StatusCode);

        using var dismissed = await Client.DeleteAsync(self);

        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal("dismissed", (string)JsonNode.Parse(await dismissed.Content.ReadAsStringAsync())!["status"]!);
        Assert.Equal("dismissed", (string)(await GetJsonAsync(self))["status"]!);
        using var results = await Client.GetAsync(self + "/results");
        Assert.Equal(HttpStatusCode.NotFound, results.StatusCode);
        Assert.Equal("http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/result-not-ready",
            (string)JsonNode.Parse(await results.Content.ReadAsStringAsync())!["type"]!);
    }

    // Dismissing is a write (it cancels a running ingest, which rolls back, and drops results): without the key it is a
    // 401, and the job is untouched. A job id is no secret: it is in every job list.
    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key-0123456789")]
    public async Task Dismissing_a_job_needs_the_write_key(string? key)
    {
        var self = (string)(await RunJobAsync("mirror"))["links"]![0]!["href"]!;
        using var anonymous = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, self);
        if (key is not null) request.Headers.Add("X-API-Key", key);

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("successful", (string)(await GetJsonAsync(self))["status"]!);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(self + "/results")).StatusCode);
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("status=", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("offset=-1", "offset")]
    [InlineData("minDuration=-5", "minDuration")]
    [InlineData("minDuration=10&maxDuration=5", "minDuration")]
    [InlineData("maxDuration=1.5", "maxDuration")]
    [InlineData("datetime=yesterday", "datetime")]
    public async Task An_invalid_job_list_parameter_is_a_400_naming_it(string query, string parameter)
    {
        using var response = await Client.GetAsync("jobs?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"'{parameter}'", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!, StringComparison.Ordinal);
    }
}
