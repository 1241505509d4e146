using Meridian.Hosting.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Meridian.Gateway;

/// <summary>
/// The gateway's Redis (<c>Gateway:RedisConnectionString</c>), shared by its replicas: rate-limit counters and release
/// state. Both work around its absence (counters fall back to this process's memory, releases keep their last known
/// state), so it is in <c>/ready</c> as degraded when away, never unhealthy.
/// </summary>
internal static partial class GatewayStore
{
    public static void Add(IServiceCollection services, string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        // Connects in the background and keeps reconnecting. While disconnected, commands fail at once instead of
        // queueing for the connection (up to the 5 s command timeout): a request is never held for a server that is gone.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // The servers only: the configuration string may hold a password.
        var target = "redis:" + string.Join(',', configuration.EndPoints.Select(EndPointCollection.ToString));
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var redis = ConnectionMultiplexer.Connect(configuration);
            // /ready says Degraded while it is away; the log says when, and for how long limits were counted per replica.
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayStore).FullName!);
            redis.ConnectionFailed += (_, e) => LogLost(logger, e.EndPoint?.ToString(), e.FailureType.ToString());
            redis.ConnectionRestored += (_, e) => LogRestored(logger, e.EndPoint?.ToString());
            // A first connection that failed did so inside Connect, before anyone could listen.
            if (!redis.IsConnected) LogUnreachable(logger, target);
            return redis;
        });
        services.AddSingleton(new Target(target));
    }

    /// <summary>
    /// Puts the store in the readiness of a process that uses it (the gateway role for releases, any process with rate
    /// limits), when one is configured; registering twice registers once.
    /// </summary>
    public static void AddReadiness(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, Check>());

    private sealed record Target(string Name);

    private sealed class Check(IServiceProvider services) : IConfigureOptions<HealthCheckServiceOptions>
    {
        public void Configure(HealthCheckServiceOptions options)
        {
            if (services.GetService<Target>() is not { } target) return;
            options.Registrations.Add(StoreHealthCheck.Registration(StoreHealthCheck.GatewayStore, target.Name,
                cancellationToken => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync().WaitAsync(cancellationToken),
                HealthStatus.Degraded));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway Redis connection to {EndPoint} lost ({Failure}): rate limits are counted per replica until it returns")]
    private static partial void LogLost(ILogger logger, string? endPoint, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway Redis {Target} not reachable at start: rate limits are counted per replica until it is")]
    private static partial void LogUnreachable(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway Redis connection to {EndPoint} restored")]
    private static partial void LogRestored(ILogger logger, string? endPoint);
}
