using System.Net;
using System.Text.Json.Nodes;
using Meridian.Testing;

namespace Meridian.Tests.Composition;

/// <summary>
/// <c>/ready</c> tells the truth about the stores a process's roles use: a role that keeps files in the object store
/// (uploads, workflow definitions, checkpoints, subscriptions) is not ready when that store cannot serve, and one that
/// does not use it is not held back by it.
/// </summary>
public sealed class ReadinessTests : IClassFixture<S3TestBucket>, IDisposable
{
    private readonly S3TestBucket _bucket;
    private readonly string _data = Directory.CreateTempSubdirectory("meridian-ready-").FullName;

    public ReadinessTests(S3TestBucket bucket) => _bucket = bucket;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private Task<MeridianServer> StartAsync(string roles, string bucket) => MeridianServer.StartAsync(new Dictionary<string, string?>
    {
        ["Meridian:Roles:0"] = roles,
        ["Meridian:Data"] = _data,
        ["Meridian:Objects:S3:Bucket"] = bucket,
        ["Meridian:Objects:S3:ServiceUrl"] = S3TestBucket.Options(bucket).ServiceUrl,
        ["Meridian:Objects:S3:AccessKeyId"] = "S3RVER",
        ["Meridian:Objects:S3:SecretAccessKey"] = "S3RVER",
    });

    [Theory]
    [InlineData("ingest")]
    [InlineData("processes")]
    [InlineData("worker")]
    [InlineData("notifications")]
    public async Task A_role_keeping_objects_is_not_ready_while_its_bucket_is_missing(string role)
    {
        const string missing = "meridian-no-such-bucket-for-readiness";
        await using var server = await StartAsync(role, missing);

        using var response = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var checks = JsonNode.Parse(body)!["checks"]!.AsObject();
        Assert.Equal("Unhealthy", (string)checks["object-store"]!["status"]!);
        // Which bucket, and the S3 error, are for administrators (the gateway's admin scope), not for probes.
        Assert.DoesNotContain(missing, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("worker")]
    public async Task A_role_keeping_objects_is_ready_with_its_bucket(string role)
    {
        await using var server = await StartAsync(role, _bucket.Store.Bucket);

        using var response = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!.AsObject();
        Assert.Equal("Healthy", (string)checks["object-store"]!["status"]!);
    }

    [Fact]
    public async Task A_role_without_objects_is_not_held_back_by_the_object_store()
    {
        await using var server = await StartAsync("features", "meridian-no-such-bucket-for-readiness");

        using var response = await server.Client.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
