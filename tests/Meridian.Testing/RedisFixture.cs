using Xunit;

namespace Meridian.Testing;

/// <summary>
/// A real Redis for a test class: the shared one of scripts/test.sh (MERIDIAN_TEST_REDIS) when set, otherwise a
/// private redis-server on a free loopback port, stopped when the fixture is disposed.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _private;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(RedisServer.Variable) is { Length: > 0 } shared)
        {
            ConnectionString = shared;
            return;
        }
        _private = await RedisServer.StartAsync();
        ConnectionString = _private.Configuration;
    }

    public async Task DisposeAsync()
    {
        if (_private is not null) await _private.DisposeAsync();
    }
}
