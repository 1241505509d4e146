using System.Text.Json.Nodes;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian workflow</c> against a real server composed as <c>meridian serve</c> composes it (every role).</summary>
public sealed class WorkflowCommandTests : IAsyncLifetime
{
    private const string Key = "cli-workflow-key-0123456789";

    /// <summary>States that need no process, so the test does not depend on the process library.</summary>
    private const string Definition = """
        {"Name":"route","StartAt":"Decide","States":{
          "Decide":{"Type":"Choice","Choices":[{"Variable":"$.n","GreaterThan":0,"Next":"Pause"}],"Default":"Refuse"},
          "Pause":{"Type":"Wait","Seconds":0,"Next":"Done"},
          "Done":{"Type":"Succeed"},
          "Refuse":{"Type":"Fail","Error":"Input.Negative","Cause":"n must be positive"}}}
        """;

    private readonly TempDirectory _data = new();
    private Composition.MeridianServer _server = null!;
    private string _file = "";

    private Dictionary<string, string> Environment => new() { ["MERIDIAN_API_KEY"] = Key };

    public async Task InitializeAsync()
    {
        _server = await Composition.MeridianServer.StartAsync(new Dictionary<string, string?>
        {
            ["Meridian:Data"] = _data.Path,
            ["Meridian:Security:ApiKeys:0"] = Key,
        });
        _file = Path.Combine(_data.Path, "route.json");
        await File.WriteAllTextAsync(_file, Definition);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _data.Dispose();
    }

    private Task<Clients.ExternalProcess.Result> RunAsync(params string[] arguments) =>
        MeridianProcess.RunAsync(["workflow", .. arguments, "--server", _server.Address.ToString()], Environment);

    [Fact]
    public async Task Register_start_and_status_run_a_workflow_through_the_server()
    {
        var registered = await RunAsync("register", _file);
        var succeeded = await RunAsync("start", "route", "--input", """{"n":3}""", "--wait");
        var failed = await RunAsync("start", "route", "--input", """{"n":-1}""", "--wait");
        var job = failed.Error.Split('\n').First(l => l.StartsWith("started ", StringComparison.Ordinal))["started ".Length..].Trim();
        var status = await RunAsync("status", job);

        Assert.True(registered.ExitCode == 0, registered.Error);
        Assert.True(succeeded.ExitCode == 0, succeeded.Error);
        Assert.Equal(3, (int)JsonNode.Parse(succeeded.Output.Split('\n').First(l => l.Contains("\"output\"", StringComparison.Ordinal)))!["output"]!["n"]!);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("Input.Negative: n must be positive", failed.Error);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal("failed", (string?)JsonNode.Parse(status.Output)!["status"]);
    }

    [Fact]
    public async Task An_invalid_definition_prints_every_error()
    {
        await File.WriteAllTextAsync(_file, """{"Name":"bad","StartAt":"A","States":{"A":{"Type":"Task","Process":"nope","Next":"B"}}}""");

        var result = await RunAsync("register", _file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("$.States['A'].Process: there is no process 'nope' on this server", result.Error);
        Assert.Contains("$.States['A'].Next: there is no state 'B' here", result.Error);
    }

    [Fact]
    public async Task Bad_input_and_servers_are_messages_not_crashes()
    {
        var badInput = await RunAsync("start", "route", "--input", "{not json");
        var badServer = await MeridianProcess.RunAsync(["workflow", "status", "x", "--server", "ftp://127.0.0.1/"]);
        var unreachable = await MeridianProcess.RunAsync(["workflow", "status", "x", "--server", "http://127.0.0.1:9/"]);

        Assert.Equal(2, badInput.ExitCode);
        Assert.Contains("--input", badInput.Error);
        Assert.Equal(2, badServer.ExitCode);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach", unreachable.Error);
    }
}
