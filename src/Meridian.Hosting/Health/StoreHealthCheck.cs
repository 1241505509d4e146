using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Meridian.Hosting.Health;

/// <summary>
/// Readiness of one store a role uses (a feature store, the object store): the role is ready only when every store
/// it uses answers. The check is registered under a generic name (<see cref="FeatureStore"/>, <see cref="ObjectStore"/>),
/// which anyone may read in <c>/ready</c>; <paramref name="target"/>, the store as its adapter names it (kind and
/// location: a host, a path, a bucket), is the check's description, shown to administrators only.
/// </summary>
internal sealed class StoreHealthCheck(string target, Func<CancellationToken, Task> check) : IHealthCheck
{
    public const string FeatureStore = "feature-store";
    public const string ObjectStore = "object-store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await check(cancellationToken);
            return HealthCheckResult.Healthy(target);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(target, e);
        }
    }

    /// <summary>The registration of a readiness check, named <paramref name="name"/>, of the store <paramref name="target"/>.</summary>
    public static HealthCheckRegistration Registration(string name, string target, Func<CancellationToken, Task> check) =>
        new(name, new StoreHealthCheck(target, check), HealthStatus.Unhealthy, [ServiceDefaults.ReadyTag]);
}
