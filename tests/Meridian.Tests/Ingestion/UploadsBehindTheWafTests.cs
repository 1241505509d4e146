using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Meridian.Tests.Composition;

namespace Meridian.Tests.Ingestion;

/// <summary>
/// Upload parts through the WAF, as <c>meridian serve</c> runs by default: the WAF reads the start of a text, JSON or
/// untyped body before the endpoint, which must then still store the part (it once answered 500 trying to raise the
/// body limit of a body already being read).
/// </summary>
public sealed class UploadsBehindTheWafTests : IAsyncLifetime
{
    private const string ApiKey = "uploads-waf-test-key-0123456789";

    private readonly TempDirectory _data = new();
    private MeridianServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data.Path,
            ["Meridian:Security:ApiKeys:0"] = ApiKey,
            ["Meridian:Gateway:Waf:Mode"] = "Block",
        });
        _server.Client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/csv")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    public async Task A_part_of_any_media_type_is_stored_and_joined(string? mediaType)
    {
        var bytes = Encoding.UTF8.GetBytes("name,lon,lat\nHarbour,10.5,53.5\n");
        var start = JsonNode.Parse(await (await _server.Client.PostAsync("uploads?name=ports.csv", null)).Content.ReadAsStringAsync())!;
        var upload = $"uploads/{(string?)start["uploadId"]}";
        var content = new ByteArrayContent(bytes);
        if (mediaType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        var put = await _server.Client.PutAsync($"{upload}/parts/1", content);
        var completed = await _server.Client.PostAsync($"{upload}/complete", null);

        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        Assert.Equal(bytes.Length, (long)JsonNode.Parse(await completed.Content.ReadAsStringAsync())!["size"]!);
    }
}
