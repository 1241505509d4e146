using Meridian.Cli;
using Meridian.Tests.Composition;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian probe</c>, the container health check of an image without a shell: 0 ready, 1 not, 2 misused.</summary>
public sealed class ProbeCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private MeridianServer? _server;

    public async Task InitializeAsync() =>
        _server = await MeridianServer.StartAsync(new Dictionary<string, string?> { ["Meridian:Data"] = _data.Path });

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _data.Dispose();
    }

    private static Task<int> ProbeAsync(params string[] args) => MeridianCli.Build().Parse(["probe", .. args]).InvokeAsync();

    [Fact]
    public async Task A_ready_server_exits_0()
    {
        Assert.Equal(0, await ProbeAsync(new Uri(_server!.Address, "/ready").ToString()));
        Assert.Equal(0, await ProbeAsync(new Uri(_server.Address, "/health").ToString(), "--timeout", "2"));
    }

    [Fact]
    public async Task An_answer_that_is_not_2xx_exits_1()
    {
        Assert.Equal(1, await ProbeAsync(new Uri(_server!.Address, "/no-such-path").ToString()));
    }

    [Fact]
    public async Task Nobody_listening_exits_1()
    {
        Assert.Equal(1, await ProbeAsync($"http://127.0.0.1:{MeridianProcess.FreePort()}/ready", "--timeout", "2"));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/ready")]
    [InlineData("/ready")]
    public async Task What_is_not_an_http_url_exits_2(string url)
    {
        Assert.Equal(2, await ProbeAsync(url));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("1e9")]
    public async Task A_timeout_out_of_range_exits_2(string timeout)
    {
        Assert.Equal(2, await ProbeAsync("http://127.0.0.1:8080/ready", "--timeout", timeout));
    }
}
