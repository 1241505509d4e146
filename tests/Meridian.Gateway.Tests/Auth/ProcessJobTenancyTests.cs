using System.Net;
using System.Text.Json.Nodes;
using Meridian.Processing.Jobs;
using Meridian.Storage.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Auth;

/// <summary>
/// Asynchronous process jobs under tenancy: the worker (which sees every tenant's collections) runs each job as the
/// caller that submitted it, as it runs a workflow's steps. The request's admission checks refuse what they can see
/// coming; these tests submit jobs past them (as a process that forgot a check would let them through) and show that
/// the job still reaches only what its starter could. They used to run with the worker's own sight: everything.
/// </summary>
public sealed class ProcessJobTenancyTests : IAsyncLifetime
{
    private const string ReadAcmeParks = """{"input": {"collection": "acme_parks"}}""";

    private TenantsHost _tenants = null!;

    public async Task InitializeAsync()
    {
        _tenants = await TenantsHost.StartAsync();
        await _tenants.CreateAcmeParksAsync();
    }

    public async Task DisposeAsync() => await _tenants.DisposeAsync();

    /// <summary>Submits a centroid job straight to the queue, as the execution endpoint would after its checks, and waits for its end.</summary>
    private async Task<(JsonNode Status, string Results)> RunAsync(string inputs, string? owner, bool admin = false)
    {
        var queue = _tenants.Host.Services.GetRequiredService<JobQueue>();
        var (job, _) = await queue.SubmitAsync(new NewJob("centroid", inputs, Owner: owner, StartedByAdmin: admin), CancellationToken.None);
        var status = await _tenants.WaitForJobAsync(new Uri(_tenants.Host.Address, "/jobs/" + job.Id), _tenants.Admin);
        var results = (string?)status["status"] == "successful"
            ? await (await _tenants.SendAsync(HttpMethod.Get, $"/jobs/{job.Id}/results", _tenants.Admin)).Content.ReadAsStringAsync()
            : "";
        return (status, results);
    }

    [Fact]
    public async Task A_tenants_job_cannot_read_another_tenants_collection_even_past_the_admission_check()
    {
        var (status, results) = await RunAsync(ReadAcmeParks, owner: "globex");

        Assert.Equal("failed", (string?)status["status"]);
        Assert.Contains("there is no collection 'acme_parks'", TenantsHost.Text(status), StringComparison.Ordinal);
        Assert.DoesNotContain("Bern", TenantsHost.Text(status) + results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_job_reads_public_collections_only()
    {
        var (status, _) = await RunAsync(ReadAcmeParks, owner: null);

        Assert.Equal("failed", (string?)status["status"]);
        Assert.Contains("there is no collection 'acme_parks'", TenantsHost.Text(status), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owners_job_and_an_admins_job_read_the_collection()
    {
        var (own, ownResults) = await RunAsync(ReadAcmeParks, owner: "acme");
        var (admins, adminsResults) = await RunAsync(ReadAcmeParks, owner: "ops", admin: true);

        Assert.Equal("successful", (string?)own["status"]);
        Assert.Contains("7.4", ownResults, StringComparison.Ordinal);
        Assert.Equal("successful", (string?)admins["status"]);
        Assert.Contains("7.4", adminsResults, StringComparison.Ordinal);
    }

    // An admin's job keeps the admin's sight in the worker: the execution endpoint records who started it.
    [Fact]
    public async Task An_admins_asynchronous_execution_reads_any_tenants_collection()
    {
        var response = await _tenants.ExecuteAsync("centroid", _tenants.Admin, ReadAcmeParks, async: true);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var status = await _tenants.WaitForJobAsync(response.Headers.Location!, _tenants.Admin);

        Assert.Equal("successful", (string?)status["status"]);
    }
}
