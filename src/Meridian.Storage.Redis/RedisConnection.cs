using Meridian.Storage.Caching;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Meridian.Storage.Redis;

/// <summary>
/// The one multiplexed Redis connection of a process, shared by the L2 cache and the collection versions.
/// It never blocks start-up nor waits for a server that is gone: commands fail at once while disconnected
/// (callers then bypass the cache), and the client reconnects in the background when Redis returns.
/// </summary>
public sealed partial class RedisConnection : ISharedCache, IAsyncDisposable
{
    private readonly ILogger<RedisConnection> _logger;
    private int _interrupted;
    private int _connectedOnce;

    public RedisConnection(string configuration, TimeSpan timeout, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (Exception e) when (e is ArgumentException or RedisConnectionException)
        {
            throw new ArgumentException($"not a Redis configuration string ({e.Message})", nameof(configuration), e);
        }
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = (int)timeout.TotalMilliseconds;
        options.SyncTimeout = (int)timeout.TotalMilliseconds;
        options.AsyncTimeout = (int)timeout.TotalMilliseconds;
        options.ClientName ??= "meridian";
        // The servers only: the configuration string may hold a password.
        Name = "redis:" + string.Join(',', options.EndPoints.Select(EndPointCollection.ToString));
        Multiplexer = ConnectionMultiplexer.Connect(options);
        Multiplexer.ConnectionFailed += (_, e) =>
        {
            // Only the connection that carries commands counts (the pub/sub one comes and goes on its own). A first
            // connection that is slow to come up (a loaded machine, Redis starting after Meridian) is no interruption
            // either: nothing can have been cached or bumped through it yet, and renewing the epoch would only throw
            // away what the other processes cached.
            if (e.ConnectionType == ConnectionType.Interactive && Volatile.Read(ref _connectedOnce) == 1)
                Interlocked.Exchange(ref _interrupted, 1);
            LogLost(e.EndPoint?.ToString(), e.FailureType.ToString());
        };
        Multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive) Interlocked.Exchange(ref _connectedOnce, 1);
            LogRestored(e.EndPoint?.ToString());
        };
        if (Multiplexer.IsConnected) Interlocked.Exchange(ref _connectedOnce, 1);
    }

    public ConnectionMultiplexer Multiplexer { get; }

    public bool IsConnected => Multiplexer.IsConnected;

    public string Name { get; }

    /// <summary>A PING: while disconnected it fails at once (commands never wait for a connection), else within the timeout.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken) =>
        await Multiplexer.GetDatabase().PingAsync().WaitAsync(cancellationToken);

    /// <summary>
    /// True once after the connection was lost (or a command failed): whatever happened in between, e.g. a
    /// version bump that could not be recorded, is unknown, so the caller must start afresh.
    /// </summary>
    public bool TakeInterruption() => Interlocked.Exchange(ref _interrupted, 0) == 1;

    /// <summary>Records that a command failed, so that the next user of the connection starts afresh.</summary>
    public void MarkInterrupted() => Interlocked.Exchange(ref _interrupted, 1);

    public async ValueTask DisposeAsync() => await Multiplexer.CloseAsync(allowCommandsToComplete: false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis connection to {EndPoint} lost ({Failure}): serving from the stores until it returns")]
    private partial void LogLost(string? endPoint, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection to {EndPoint} restored")]
    private partial void LogRestored(string? endPoint);
}
