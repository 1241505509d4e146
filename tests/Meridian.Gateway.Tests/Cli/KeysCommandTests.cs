using Meridian.Cli;
using Meridian.Gateway.Auth;

namespace Meridian.Gateway.Tests.Cli;

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>The verbs in this process, with the console captured (hence not in parallel with other tests).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await MeridianCli.Build().Parse([.. args, "--data", _data.Path]).InvokeAsync();
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    [Fact]
    public async Task Create_PrintsTheKeyOnce_StoresOnlyItsHash()
    {
        var (exit, output, _) = await RunAsync("keys", "create", "--tenant", "acme", "--scope", "read", "--scope", "write", "--name", "ci");

        Assert.Equal(0, exit);
        var key = output.Trim();
        Assert.StartsWith(ApiKeys.Prefix, key);
        var store = new SqliteApiKeyStore(Path.Combine(_data.Path, "keys.db"));
        var record = await store.FindByHashAsync(ApiKeys.Hash(key));
        Assert.Equal(["read", "write"], record!.Scopes);
        Assert.Equal("acme", record.Tenant);
        Assert.DoesNotContain(key, await File.ReadAllTextAsync(Path.Combine(_data.Path, "keys.db")));

        var (_, listing, _) = await RunAsync("keys", "list");
        Assert.Contains(record.Id, listing);
        Assert.Contains("active", listing);
        Assert.DoesNotContain(key, listing);
    }

    [Fact]
    public async Task Revoke_ShowsInTheListing_AndUnknownIdsFail()
    {
        await RunAsync("keys", "create", "--tenant", "acme");
        var id = (await new SqliteApiKeyStore(Path.Combine(_data.Path, "keys.db")).ListAsync()).Single().Id;

        var (revoked, _, _) = await RunAsync("keys", "revoke", id);
        var (again, _, error) = await RunAsync("keys", "revoke", id);
        var (_, listing, _) = await RunAsync("keys", "list");

        Assert.Equal(0, revoked);
        Assert.Equal(1, again);
        Assert.Contains(id, error);
        Assert.Contains("revoked", listing);
    }

    [Theory]
    [InlineData("--scope", "root")]
    [InlineData("--expires-in-days", "0")]
    public async Task Create_BadArguments_Exit2WithoutCreating(string option, string value)
    {
        var (exit, output, error) = await RunAsync("keys", "create", "--tenant", "acme", option, value);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(option, error);
    }
}
