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

    /// <summary>
    /// The runtime runs one socket thread per core when completions are inline, one in all for up to 30 cores
    /// otherwise: counting them in the running process shows which it took. Four cores are made up
    /// (DOTNET_PROCESSOR_COUNT) so that the two counts differ on any machine.
    /// </summary>
    [Theory]
    [InlineData("gateway", null, 4)]
    [InlineData("gateway", "false", 1)]
    [InlineData("all", null, 1)]
    [InlineData("all", "true", 4)]
    public async Task Serve_RunsAsManySocketThreadsAsItsCompletionModeCalls(string roles, string? setting, int socketThreads)
    {
        using var data = new TempDirectory();
        var port = MeridianProcess.FreePort();
        List<string> arguments = ["serve", "--data", data.Path, "--roles", roles, "--urls", $"http://127.0.0.1:{port}",
            "--set", "Gateway:Routes:all:Cluster=b", "--set", $"Gateway:Clusters:b:Destinations:0=http://127.0.0.1:{MeridianProcess.FreePort()}"];
        if (setting is not null) arguments.AddRange(["--set", $"Gateway:InlineSocketCompletions={setting}"]);
        using var process = MeridianProcess.Start(arguments, new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "4" });
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
