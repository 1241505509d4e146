using Meridian.Hosting.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Meridian.Gateway;

/// <summary>
/// The gateway's Redis (<c>Gateway:RedisConnectionString</c>), shared by its replicas: rate-limit counters and release
/// state. Both work around its absence (counters fall back to this process's memory, releases keep their last known
/// state), so it is in <c>/ready</c> as degraded when away, never unhealthy.
/// </summary>
internal static class GatewayStore
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
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
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
}
