using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Meridian.Testing;

/// <summary>
/// A private redis-server on a free loopback port, in its own directory, that a test can stop and start again
/// on the same port (to take Redis away mid-traffic), with its data (append-only file) or without. scripts/test.sh installs
/// redis-server; MERIDIAN_TEST_REDIS names the instance the script started, for tests that only need one.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Variable = "MERIDIAN_TEST_REDIS";

    private readonly TempDirectory _directory = new();
    private Process? _process;

    private readonly bool _persistent;

    private RedisServer(int port, bool persistent)
    {
        Port = port;
        _persistent = persistent;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The Redis started by scripts/test.sh.</summary>
    public static string Shared() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{Variable} is not set: run scripts/test.sh, which starts a private redis-server");

    /// <summary>A persistent server keeps every write across a restart (appendfsync always), as a Redis with AOF does.</summary>
    public static async Task<RedisServer> StartAsync(bool persistent = false)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new RedisServer(port, persistent);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port, and returns once it answers.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo(Executable())
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", _persistent ? "yes" : "no", "--appendfsync", "always",
                "--dir", _directory.Path, "--daemonize", "no", "--loglevel", "warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20, deadline.Token);
            }
        }
    }

    /// <summary>Kills the server, as a crash or a lost host would, and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }

    private static string Executable() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed: scripts/test.sh installs it (Debian package redis-server)");
}
