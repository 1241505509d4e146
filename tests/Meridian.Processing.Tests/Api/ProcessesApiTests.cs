using System.Net;
using System.Text.Json.Nodes;
using Meridian.Processing.Tests.Workflows;

namespace Meridian.Processing.Tests.Api;

/// <summary>The process endpoints of OGC API – Processes Part 1 on a real server, over small test processes.</summary>
public sealed class ProcessesApiTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ProcessingHost _host = null!;

    private HttpClient Client => _host.Client;

    public async Task InitializeAsync() => _host = await ProcessingHost.StartAsync(_data.Path, [new MirrorProcess(), new AddProcess(), new StrictProcess()]);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private async Task<JsonNode> GetJsonAsync(string url) => JsonNode.Parse(await Client.GetStringAsync(url))!;

    private static List<string> Ids(JsonNode list) => list["processes"]!.AsArray().Select(p => (string)p!["id"]!).ToList();

    private static string? Link(JsonNode list, string rel) =>
        (string?)list["links"]!.AsArray().FirstOrDefault(l => (string?)l!["rel"] == rel)?["href"];

    // /req/core/pl-limit-response: no more summaries than limit; /req/core/pl-links: self, and next/prev pages.
    [Fact]
    public async Task The_process_list_holds_at_most_limit_summaries_and_pages_through_the_rest()
    {
        var all = await GetJsonAsync("processes");
        var ids = Ids(all);
        Assert.Contains("mirror", ids);
        Assert.Null(Link(all, "next"));

        var first = await GetJsonAsync("processes?limit=2");
        Assert.Equal(ids[..2], Ids(first));
        Assert.EndsWith("/processes?limit=2", Link(first, "self"));
        Assert.Null(Link(first, "prev"));
        var paged = new List<string>(Ids(first));
        var page = first;
        while (Link(page, "next") is { } next)
        {
            page = await GetJsonAsync(next);
            Assert.InRange(Ids(page).Count, 1, 2);
            paged.AddRange(Ids(page));
        }
        Assert.Equal(ids, paged);
        var previous = Ids(await GetJsonAsync(Link(page, "prev")!));
        Assert.Equal(2, previous.Count);
        Assert.Equal(Ids(page)[0], ids[ids.IndexOf(previous[1]) + 1]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task An_invalid_page_parameter_is_a_400_naming_it(string query, string parameter)
    {
        using var response = await Client.GetAsync("processes?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{parameter}'", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!, StringComparison.Ordinal);
    }
}
