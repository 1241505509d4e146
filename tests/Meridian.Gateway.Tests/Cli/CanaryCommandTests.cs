using Meridian.Cli;
using Meridian.Gateway.Auth;
using Meridian.Gateway.Releases;
using Meridian.Gateway.Tests.Composition;
using Meridian.Gateway.Tests.Releases;
using Meridian.Gateway.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Gateway.Tests.Cli;

/// <summary><c>meridian canary</c> against a running gateway's admin API.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CanaryCommandTests : IAsyncLifetime
{
    private TestBackend _stable = null!;
    private TestBackend _canary = null!;
    private MeridianTestHost _gateway = null!;
    private string? _previousKey;

    public async Task InitializeAsync()
    {
        _stable = await TestBackend.StartAsync("stable");
        _canary = await TestBackend.StartAsync("canary");
        var settings = ReleaseGateway.Settings(_stable, _canary);
        settings["Gateway:Auth:Enabled"] = "true";
        settings["Gateway:Routes:r:Release:Interval"] = "01:00:00";
        _gateway = await MeridianTestHost.StartAsync(settings);
        _previousKey = Environment.GetEnvironmentVariable(RemoteServer.ApiKeyVariable);
        Environment.SetEnvironmentVariable(RemoteServer.ApiKeyVariable, await ReleaseGateway.KeyAsync(_gateway, Scopes.Admin));
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(RemoteServer.ApiKeyVariable, _previousKey);
        await _gateway.DisposeAsync();
        await _canary.DisposeAsync();
        await _stable.DisposeAsync();
    }

    private ReleaseState State => _gateway.Services.GetRequiredService<ReleaseController>().For("r")!.State;

    [Fact]
    public async Task Status_ShowsEachRelease()
    {
        var (exit, output, _) = await CliRun.RunAsync("canary", "status", "--server", _gateway.Address.ToString());

        Assert.Equal(0, exit);
        Assert.Contains("r\tcanary\tprogressing\t5\tstable -> candidate\t", output);
    }

    [Fact]
    public async Task Promote_WithoutRoute_TakesTheOnlyRelease_ThenRollback()
    {
        var (promoted, promoteOutput, _) = await CliRun.RunAsync("canary", "promote", "--server", _gateway.Address.ToString());
        var phaseAfterPromote = State.Phase;
        var (rolledBack, _, _) = await CliRun.RunAsync("canary", "rollback", "--route", "r", "--server", _gateway.Address.ToString());

        Assert.Equal(0, promoted);
        Assert.Contains("\tpromoted\t100\t", promoteOutput);
        Assert.Equal(ReleasePhase.Promoted, phaseAfterPromote);
        Assert.Equal(0, rolledBack);
        Assert.Equal(ReleasePhase.RolledBack, State.Phase);
    }

    [Fact]
    public async Task WithoutAnAdminKey_TheRefusalIsShown()
    {
        Environment.SetEnvironmentVariable(RemoteServer.ApiKeyVariable, await ReleaseGateway.KeyAsync(_gateway, Scopes.Write));

        var (exit, _, error) = await CliRun.RunAsync("canary", "promote", "--route", "r", "--server", _gateway.Address.ToString());

        Assert.Equal(1, exit);
        Assert.Contains("403", error);
        Assert.Equal(ReleasePhase.Progressing, State.Phase);
    }

    [Theory]
    [InlineData("--server", "not a url", "expected an http(s) URL")]
    [InlineData("--route", "nope", "'nope' has no release")]
    public async Task BadArguments_AreNamed(string option, string value, string message)
    {
        string[] args = option == "--server"
            ? ["canary", "rollback", "--server", value]
            : ["canary", "rollback", option, value, "--server", _gateway.Address.ToString()];

        var (exit, _, error) = await CliRun.RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, error);
    }
}
