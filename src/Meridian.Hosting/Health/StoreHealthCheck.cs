using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Meridian.Hosting.Health;

/// <summary>
/// Readiness of one store a role uses (a feature store, the object store, the message bus, the cache, the gateway's Redis). The check is
/// registered under a generic name (<see cref="FeatureStore"/>, <see cref="ObjectStore"/>, …), which anyone may read in
/// <c>/ready</c>; <paramref name="target"/>, the store as its adapter names it (kind and location: a host, a path, a
/// bucket), is the check's description, shown to administrators only. A store that fails, or does not answer within
/// <see cref="Patience"/>, reports its registration's failure status: unhealthy for a store the role cannot work without,
/// degraded for one it works around (see the README's "Operations").
/// </summary>
internal sealed class StoreHealthCheck(string target, Func<CancellationToken, Task> check) : IHealthCheck
{
    public const string FeatureStore = "feature-store";
    public const string ObjectStore = "object-store";
    public const string MessageBus = "message-bus";
    public const string Cache = "cache";
    public const string GatewayStore = "gateway-store";

    /// <summary>
    /// How long a check waits for its store: under the readiness probes' timeout (3 s in deploy/k8s), so that a store that
    /// does not answer (a host that drops packets, a server that accepts and never speaks) is reported as such, instead of
    /// the probe timing out with no report at all. Checks run side by side, so <c>/ready</c> answers within about this.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a check waits during the start-up checks (<see cref="StoreReadiness.CheckAtStartupAsync"/>): a process's
    /// first connection to a store is its slowest (an empty pool, TLS, code run for the first time), and there a refusal
    /// (which stops the process naming the setting) must not be mistaken for silence (which it serves on through).
    /// </summary>
    public static readonly TimeSpan StartupPatience = TimeSpan.FromSeconds(15);

    /// <summary>Whether the checks running in this flow are the start-up ones (the health check service runs each on the pool, which carries it).</summary>
    internal static readonly AsyncLocal<bool> StartingUp = new();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waitFor = StartingUp.Value ? StartupPatience : Patience;
        patience.CancelAfter(waitFor);
        try
        {
            // WaitAsync too: a client that does not honour its token still cannot hold the report back.
            await check(patience.Token).WaitAsync(patience.Token);
            return HealthCheckResult.Healthy(target);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, target,
                new TimeoutException($"no answer within {waitFor.TotalSeconds:0} s", e));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, target, e);
        }
    }

    /// <summary>
    /// The registration of a readiness check, named <paramref name="name"/>, of the store <paramref name="target"/>;
    /// <paramref name="failureStatus"/> is what a failure makes the check (degraded keeps <c>/ready</c> at 200).
    /// </summary>
    public static HealthCheckRegistration Registration(string name, string target, Func<CancellationToken, Task> check,
        HealthStatus failureStatus = HealthStatus.Unhealthy) =>
        new(name, new StoreHealthCheck(target, check), failureStatus, [ServiceDefaults.ReadyTag]);
}
