using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Meridian.Gateway.Tests.RateLimiting;

/// <summary>
/// A real Redis for the tests: MERIDIAN_TEST_REDIS when set (host:port), otherwise a private redis-server on a free
/// loopback port, without persistence, stopped when the fixture is disposed.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string Variable = "MERIDIAN_TEST_REDIS";
    private Process? _process;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            ConnectionString = configured;
            return;
        }
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _process = Process.Start(new ProcessStartInfo("/usr/bin/redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
        })!;
        ConnectionString = $"127.0.0.1:{port}";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"redis-server did not listen on port {port}");
    }

    public async Task DisposeAsync()
    {
        if (_process is null) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
