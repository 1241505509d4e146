using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Meridian.Hosting.Health;

/// <summary>
/// Readiness of one store a role uses (a feature store, the object store): the role is ready only when every store
/// it uses answers. <paramref name="name"/> says which store, as its adapter names it (kind and location).
/// </summary>
internal sealed class StoreHealthCheck(string name, Func<CancellationToken, Task> check) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await check(cancellationToken);
            return HealthCheckResult.Healthy(name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(name, e);
        }
    }

    /// <summary>The registration of a readiness check of this store under its name.</summary>
    public static HealthCheckRegistration Registration(string name, Func<CancellationToken, Task> check) =>
        new(name, new StoreHealthCheck(name, check), HealthStatus.Unhealthy, [ServiceDefaults.ReadyTag]);
}
