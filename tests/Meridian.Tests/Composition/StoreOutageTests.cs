using System.Net;
using System.Text.Json.Nodes;

namespace Meridian.Tests.Composition;

/// <summary>
/// A store that cannot be reached (PostgreSQL down, a network cut) is an outage, not a defect of Meridian: the answer
/// is a 503 problem with Retry-After, which clients, load balancers and the gateway's retries know to try again, and
/// which alerts tell apart from a 500.
/// </summary>
public sealed class StoreOutageTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("meridian-outage-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Theory]
    [InlineData("GET", "/collections")]
    [InlineData("GET", "/collections/places/items?limit=1")]
    [InlineData("GET", "/jobs")]
    [InlineData("POST", "/processes/echo/execution")]
    public async Task A_request_needing_an_unreachable_database_is_a_503_problem(string method, string path)
    {
        await using var server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data,
            // Port 1 on loopback: nothing listens, so every connection is refused at once.
            ["Meridian:PostGis:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=u;Password=p;Database=none;Timeout=2",
            ["Meridian:Security:AnonymousProcesses:0"] = "echo",
        });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"inputs": {"string": "a"}}""", System.Text.Encoding.UTF8, "application/json");
            request.Headers.Add("Prefer", "respond-async");
        }

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:meridian:problem:unavailable", (string)problem["type"]!);
        Assert.DoesNotContain("127.0.0.1", problem.ToJsonString(), StringComparison.Ordinal);
    }
}
