using Meridian.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Meridian.Hosting.Catalog;

/// <summary>Readiness of one feature store: the role is ready only when every store it serves answers.</summary>
internal sealed class StoreHealthCheck(IFeatureStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy(store.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(store.Name, e);
        }
    }
}
