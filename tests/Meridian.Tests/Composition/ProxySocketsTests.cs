using Meridian.Composition;
using Meridian.Hosting.Configuration;
using Meridian.Tests.Cli;

namespace Meridian.Tests.Composition;

/// <summary>Socket completions run inline in a process that only proxies, and on the thread pool everywhere else.</summary>
public sealed class ProxySocketsTests
{
    [Theory]
    [InlineData(new[] { "gateway" }, true)]
    [InlineData(new[] { "Gateway" }, true)]
    [InlineData(new[] { "gateway", "gateway" }, true)]
    [InlineData(new[] { " gateway , " }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "all" }, false)]
    [InlineData(new[] { "gateway,features" }, false)]
    [InlineData(new[] { "gateway", "tiles" }, false)]
    [InlineData(new[] { "features" }, false)]
    public void InlineCompletions_ByDefault_OnlyForTheGatewayRoleAlone(string[] roles, bool expected)
    {
        var options = new MeridianOptions { Roles = [.. roles] };
        Assert.Equal(expected, ProxySockets.InlineCompletions(options));
    }

    [Theory]
    [InlineData(new[] { "gateway" }, false)]
    [InlineData(new[] { "all" }, true)]
    public void InlineCompletions_Setting_WinsOverTheRoles(string[] roles, bool setting)
    {
        var options = new MeridianOptions { Roles = [.. roles], Gateway = new GatewayOptions { InlineSocketCompletions = setting } };
        Assert.Equal(setting, ProxySockets.InlineCompletions(options));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(16, 8)]
    public void InlineSocketThreads_OnePerTwoCores(int processors, int threads) =>
        Assert.Equal(threads, ProxySockets.InlineSocketThreads(processors));

    /// <summary>
    /// The runtime runs one socket thread in all for up to 30 cores when completions go to the thread pool, and Meridian
    /// asks for one per two cores when they run inline: counting them in the running process shows which it took. Eight
    /// cores are made up (DOTNET_PROCESSOR_COUNT) so that the counts differ on any machine. The operator's own thread
    /// count wins.
    /// </summary>
    [Theory]
    [InlineData("gateway", null, null, 4)]
    [InlineData("gateway", "false", null, 1)]
    [InlineData("all", null, null, 1)]
    [InlineData("all", "true", null, 4)]
    [InlineData("gateway", null, "3", 3)]
    public async Task Serve_RunsAsManySocketThreadsAsItsCompletionModeCalls(string roles, string? setting, string? operatorThreads, int socketThreads)
    {
        using var data = new TempDirectory();
        var port = MeridianProcess.FreePort();
        List<string> arguments = ["serve", "--data", data.Path, "--roles", roles, "--urls", $"http://127.0.0.1:{port}",
            "--set", "Gateway:Routes:all:Cluster=b", "--set", $"Gateway:Clusters:b:Destinations:0=http://127.0.0.1:{MeridianProcess.FreePort()}"];
        if (setting is not null) arguments.AddRange(["--set", $"Gateway:InlineSocketCompletions={setting}"]);
        var environment = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "8" };
        if (operatorThreads is not null) environment[ProxySockets.SocketThreadsVariable] = operatorThreads;
        using var process = MeridianProcess.Start(arguments, environment);
        try
        {
            using var client = await ServeCommandTests.WaitUntilReadyAsync(process, port);
            var names = Directory.GetDirectories($"/proc/{process.Id}/task").Select(task => File.ReadAllText(Path.Combine(task, "comm")).Trim());
            Assert.Equal(socketThreads, names.Count(name => name == ".NET Sockets"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
