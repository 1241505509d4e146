using System.Net;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>
/// Workflows under tenancy: an execution's steps run in the worker (which sees every tenant's collections) as the
/// caller that started it — in Task, Map and Parallel states, through Catch — with the admission checks of a direct
/// execution; definitions and executions belong to their tenant.
/// </summary>
public sealed class WorkflowTenancyTests : IAsyncLifetime
{
    private const string Point = """{"type": "Point", "coordinates": [7.4, 46.9]}""";

    private TenantsHost _tenants = null!;

    public async Task InitializeAsync()
    {
        _tenants = await TenantsHost.StartAsync();
        await _tenants.CreateAcmeParksAsync();
        await _tenants.CreateCollectionAsync(_tenants.Admin, "shared");
        await _tenants.Host.Services.GetRequiredService<ICollectionOwners>().SetOwnerAsync("shared", null, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _tenants.DisposeAsync();

    private static string Definition(string name, string states, string startAt = "Read") =>
        $$$"""{"Name": "{{{name}}}", "Comment": "by {{{name}}}", "StartAt": "{{{startAt}}}", "States": {{{{states}}}}}""";

    private const string ReadTask = """ "Read": {"Type": "Task", "Process": "centroid", "End": true} """;

    private const string ReadInMap = """
        "Read": {"Type": "Map", "ItemsPath": "$.ids", "End": true, "Iterator": {"StartAt": "One", "States": {
          "One": {"Type": "Task", "Process": "centroid", "Parameters": {"input": {"collection.$": "$"}}, "End": true}}}}
        """;

    // A branch of a Parallel state whose refused step is retried, then caught: the execution succeeds with the error.
    private const string ReadInParallelCaught = """
        "Read": {"Type": "Parallel", "Next": "Done", "ResultPath": "$.read",
          "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 0, "MaxAttempts": 1}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done", "ResultPath": "$.error"}],
          "Branches": [{"StartAt": "One", "States": {"One": {"Type": "Task", "Process": "centroid", "End": true}}}]},
        "Done": {"Type": "Succeed"}
        """;

    private async Task RegisterAsync(string key, string definition)
    {
        var response = await _tenants.SendAsync(HttpMethod.Post, "/workflows", key, definition);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Starts the workflow as the caller and returns the ended job's status document, with its results if it succeeded.</summary>
    private async Task<(Uri Job, JsonNode Status)> RunAsync(string key, string workflow, string input)
    {
        var started = await _tenants.SendAsync(HttpMethod.Post, $"/workflows/{workflow}/executions", key, input);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var job = started.Headers.Location!;
        var status = await _tenants.WaitForJobAsync(job, key);
        if ((string?)status["status"] == "successful")
            status["results"] = JsonNode.Parse(await (await _tenants.SendAsync(HttpMethod.Get, job.AbsolutePath + "/results", key)).Content.ReadAsStringAsync());
        return (job, status);
    }

    [Theory]
    [InlineData("task", ReadTask, """{"input": {"collection": "acme_parks"}}""")]
    [InlineData("map", ReadInMap, """{"ids": ["shared", "acme_parks"]}""")]
    [InlineData("parallel", ReadInParallelCaught, """{"input": {"collection": "acme_parks"}}""")]
    public async Task A_workflow_reads_only_collections_its_starter_sees(string kind, string states, string input)
    {
        await RegisterAsync(_tenants.Globex, Definition("globex-" + kind, states));

        var (_, refused) = await RunAsync(_tenants.Globex, "globex-" + kind, input);

        Assert.Contains("there is no collection 'acme_parks'", TenantsHost.Text(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("Bern", TenantsHost.Text(refused), StringComparison.Ordinal);
        Assert.Equal(kind == "parallel" ? "successful" : "failed", (string?)refused["status"]);

        // An admin sees every collection: the same definition, started by one, reads it.
        var (_, admitted) = await RunAsync(_tenants.Admin, "globex-" + kind, input);
        Assert.Equal("successful", (string?)admitted["status"]);
        Assert.Contains("Bern", TenantsHost.Text(admitted), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflows_output_collection_belongs_to_its_starters_tenant()
    {
        await RegisterAsync(_tenants.Acme, Definition("acme-write", ReadTask));

        var (_, status) = await RunAsync(_tenants.Acme, "acme-write", $$$"""{"input": {{{Point}}}, "output": {"collection": "acme_from_workflow"}}""");

        Assert.Equal("successful", (string?)status["status"]);
        Assert.Equal(HttpStatusCode.OK, (await _tenants.SendAsync(HttpMethod.Get, "/collections/acme_from_workflow/items", _tenants.Acme)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, "/collections/acme_from_workflow/items", _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, "/collections/acme_from_workflow/items", null)).StatusCode);
    }

    [Fact]
    public async Task A_workflows_output_cannot_be_another_tenants_collection()
    {
        await RegisterAsync(_tenants.Globex, Definition("globex-write", ReadTask));

        var (_, status) = await RunAsync(_tenants.Globex, "globex-write", $$$"""{"input": {{{Point}}}, "output": {"collection": "acme_parks"}}""");

        Assert.Equal("failed", (string?)status["status"]);
        var items = JsonNode.Parse(await (await _tenants.SendAsync(HttpMethod.Get, "/collections/acme_parks/items", _tenants.Acme)).Content.ReadAsStringAsync())!;
        Assert.Equal(1, (long)items["numberMatched"]!);
    }

    // Definitions are per tenant: another tenant could otherwise replace one, and its owner's next execution (running
    // with the owner's rights) would load, replace or export the owner's collections as the replacement says.
    [Fact]
    public async Task Another_tenants_workflow_definition_is_not_found_and_its_name_is_taken()
    {
        await RegisterAsync(_tenants.Acme, Definition("acme-only", ReadTask));

        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, "/workflows/acme-only", _tenants.Globex)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, "/workflows/acme-only", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Post, "/workflows/acme-only/executions", _tenants.Globex, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Delete, "/workflows/acme-only", _tenants.Globex)).StatusCode);
        var replaced = await _tenants.SendAsync(HttpMethod.Post, "/workflows", _tenants.Globex, Definition("acme-only", ReadTask).Replace("by acme-only", "by globex", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, replaced.StatusCode);
        Assert.Equal("application/problem+json", replaced.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("acme-only", await ListedAsync(_tenants.Globex));

        Assert.Contains("acme-only", await ListedAsync(_tenants.Acme));
        Assert.Contains("acme-only", await ListedAsync(_tenants.Admin));
        var kept = JsonNode.Parse(await (await _tenants.SendAsync(HttpMethod.Get, "/workflows/acme-only", _tenants.Acme)).Content.ReadAsStringAsync())!;
        Assert.Equal("by acme-only", (string?)kept["Comment"]);
        Assert.Equal(HttpStatusCode.NoContent, (await _tenants.SendAsync(HttpMethod.Delete, "/workflows/acme-only", _tenants.Acme)).StatusCode);
    }

    [Fact]
    public async Task An_invalid_definition_stays_a_problem()
    {
        var response = await _tenants.SendAsync(HttpMethod.Post, "/workflows", _tenants.Acme, """{"Name": "broken", "StartAt": "Nowhere", "States": {}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_tenants_workflow_execution_is_not_found()
    {
        await RegisterAsync(_tenants.Acme, Definition("acme-job", ReadTask));
        var (job, status) = await RunAsync(_tenants.Acme, "acme-job", """{"input": {"collection": "acme_parks"}}""");
        Assert.Equal("successful", (string?)status["status"]);

        foreach (var path in new[] { job.AbsolutePath, job.AbsolutePath + "/results", job.AbsolutePath + "/events" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, path, _tenants.Globex)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await _tenants.SendAsync(HttpMethod.Get, path, null)).StatusCode);
        }
        Assert.Contains(job.AbsolutePath, await _tenants.JobsListedAsync(_tenants.Acme));
        Assert.DoesNotContain(job.AbsolutePath, await _tenants.JobsListedAsync(_tenants.Globex));
        Assert.Equal(HttpStatusCode.OK, (await _tenants.SendAsync(HttpMethod.Get, job.AbsolutePath, _tenants.Admin)).StatusCode);
    }

    // The notify process speaks to a job's subscribers: only about a job its caller (or a workflow's starter) sees.
    [Fact]
    public async Task Notify_refuses_another_tenants_job()
    {
        await RegisterAsync(_tenants.Acme, Definition("acme-notified", ReadTask));
        var (job, _) = await RunAsync(_tenants.Acme, "acme-notified", $$"""{"input": {{Point}}}""");
        var inputs = $$"""{"execution": "{{job.Segments[^1]}}", "message": "hello"}""";

        var refused = await _tenants.ExecuteAsync("notify", _tenants.Globex, inputs, async: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("execution", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["input"]);

        Assert.Equal(HttpStatusCode.OK, (await _tenants.ExecuteAsync("notify", _tenants.Acme, inputs, async: false)).StatusCode);
    }

    private async Task<List<string>> ListedAsync(string? key)
    {
        var list = JsonNode.Parse(await (await _tenants.SendAsync(HttpMethod.Get, "/workflows", key)).Content.ReadAsStringAsync())!;
        return list["workflows"]!.AsArray().Select(w => (string)w!["name"]!).ToList();
    }
}
