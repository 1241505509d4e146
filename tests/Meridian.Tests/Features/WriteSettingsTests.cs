using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;
using static Meridian.Tests.Features.TransactionsServer;

namespace Meridian.Tests.Features;

/// <summary>The settings that shape writes, each on a server of its own over the embedded store.</summary>
public sealed class WriteSettingsTests
{
    private const string Collection = """{"id":"places","geometryType":"Point","properties":{"name":{"type":"string"}}}""";
    private const string Feature = """{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":"a"}}""";

    private static async Task<MeridianServer> StartAsync(TempDirectory data, params (string Key, string Value)[] settings)
    {
        var values = settings.ToDictionary(s => s.Key, s => (string?)s.Value);
        values["Meridian:Data"] = data.Path;
        return await MeridianServer.StartAsync(values);
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task NoKeyConfigured_RefusesEveryWriteWith403AndServesReads()
    {
        using var data = new TempDirectory();
        await using var server = await StartAsync(data);

        using var response = await server.Client.SendAsync(Request(HttpMethod.Post, "/collections", Collection, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("Meridian:Security:ApiKeys", problem["detail"]!.GetValue<string>());
        await server.Client.GetJsonAsync("/collections");
        // OGC 20-002r1 /req/create-replace-delete/options-response C: Allow lists what is allowed now, and no write is.
        using var options = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/collections"));
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal(["GET", "HEAD", "OPTIONS"], options.Content.Headers.Allow);
    }

    [Fact]
    public async Task HashedKey_IsAccepted()
    {
        using var data = new TempDirectory();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key)));
        await using var server = await StartAsync(data, ("Meridian:Security:ApiKeys:0", "sha256:" + hash));

        using var response = await server.Client.SendAsync(Request(HttpMethod.Post, "/collections", Collection, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task RequireIfMatch_MissingIs428AndTheTagIsEnough()
    {
        using var data = new TempDirectory();
        await using var server = await StartAsync(data, ("Meridian:Security:ApiKeys:0", Key), ("Meridian:Features:RequireIfMatch", "true"));
        (await server.Client.SendAsync(Request(HttpMethod.Post, "/collections", Collection, "application/json"))).Dispose();
        using var created = await server.Client.SendAsync(Request(HttpMethod.Post, "/collections/places/items", Feature));
        var path = created.Headers.Location!.AbsolutePath;

        using var unconditional = await server.Client.SendAsync(Request(HttpMethod.Delete, path));
        await ProblemAsync(unconditional, HttpStatusCode.PreconditionRequired);
        using var conditional = await server.Client.SendAsync(Request(HttpMethod.Delete, path, headers: ("If-Match", created.Headers.ETag!.ToString())));

        Assert.Equal(HttpStatusCode.NoContent, conditional.StatusCode);
    }

    [Fact]
    public async Task MaxWriteBytes_RefusesLargerBodiesWithOrWithoutALength()
    {
        using var data = new TempDirectory();
        await using var server = await StartAsync(data, ("Meridian:Security:ApiKeys:0", Key), ("Meridian:Features:MaxWriteBytes", "2048"));
        (await server.Client.SendAsync(Request(HttpMethod.Post, "/collections", Collection, "application/json"))).Dispose();
        var large = Feature.Replace("\"a\"", "\"" + new string('a', 4096) + "\"", StringComparison.Ordinal);

        using var sized = await server.Client.SendAsync(Request(HttpMethod.Post, "/collections/places/items", large));
        using var chunked = Request(HttpMethod.Post, "/collections/places/items");
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large)));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        using var streamed = await server.Client.SendAsync(chunked);

        await ProblemAsync(sized, HttpStatusCode.RequestEntityTooLarge);
        await ProblemAsync(streamed, HttpStatusCode.RequestEntityTooLarge);
        var page = await server.Client.GetJsonAsync("/collections/places/items", "application/geo+json");
        Assert.Equal(0, page["numberReturned"]!.GetValue<int>());
    }
}
