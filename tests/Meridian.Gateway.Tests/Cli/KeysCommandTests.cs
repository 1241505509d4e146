using Meridian.Cli;
using Meridian.Gateway.Auth;

namespace Meridian.Gateway.Tests.Cli;

/// <summary>The verbs in this process, with the console captured (hence not in parallel with other tests).</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => CliRun.RunAsync([.. args, "--data", _data.Path]);

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
    [InlineData("--expires-in-days", "36501")]
    // Beyond the year 9999: it crashed with a stack trace.
    [InlineData("--expires-in-days", "3000000")]
    public async Task Create_BadArguments_Exit2WithoutCreating(string option, string value)
    {
        var (exit, output, error) = await RunAsync("keys", "create", "--tenant", "acme", option, value);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(option, error);
        Assert.False(File.Exists(Path.Combine(_data.Path, "keys.db")) && (await new SqliteApiKeyStore(Path.Combine(_data.Path, "keys.db")).ListAsync()).Count > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Create_BlankTenant_Exit2WithoutCreating(string tenant)
    {
        var (exit, output, error) = await RunAsync("keys", "create", "--tenant", tenant);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("--tenant", error);
    }
}
