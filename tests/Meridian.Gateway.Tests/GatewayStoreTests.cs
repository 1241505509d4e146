using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Meridian.Gateway.Tests;

/// <summary>The gateway's Redis tells the log when it is lost, since rate limits are then counted per replica.</summary>
public sealed class GatewayStoreTests
{
    [Fact]
    public async Task A_redis_that_is_away_at_start_is_logged_without_its_password()
    {
        var port = ClosedPort();
        var log = new LogLines();
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(LoggerFactory.Create(b => b.AddProvider(log)));
        GatewayStore.Add(services, $"127.0.0.1:{port},password=gateway-secret-password");
        await using var provider = services.BuildServiceProvider();

        var redis = provider.GetRequiredService<IConnectionMultiplexer>();

        Assert.False(redis.IsConnected);
        var warning = log.Lines.FirstOrDefault(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("not reachable", StringComparison.Ordinal));
        Assert.NotNull(warning);
        Assert.Contains($"127.0.0.1:{port}", warning, StringComparison.Ordinal);
        Assert.Contains("counted per replica", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Contains("gateway-secret-password", StringComparison.Ordinal));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class LogLines : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

        public void Dispose()
        {
        }
    }
}
