using Meridian.Storage.Jobs;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// A caller as far as tenancy goes, kept to act for it after its request ended: every job runs in a worker as the
/// caller that submitted it (<see cref="CollectionCatalog.ActAs"/>), and so do a workflow's steps.
/// </summary>
/// <param name="Tenant">Its tenant, which owns what it creates; none: anonymous (or a credential without a tenant), whose creations are public.</param>
/// <param name="Admin">An admin sees every tenant's collections and jobs.</param>
public sealed record TenantCaller(string? Tenant, bool Admin = false)
{
    /// <summary>The jobs (and other owned things) this caller sees: null, every one, for an admin.</summary>
    public JobVisibility? JobVisibility => Admin ? null : new JobVisibility(Tenant);

    /// <summary>The caller that submitted a job, as its record keeps it: the job runs as this caller.</summary>
    public static TenantCaller StarterOf(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new TenantCaller(job.Owner, job.StartedByAdmin);
    }

    /// <summary>A job this caller submits (none: anonymous, or no tenancy), owned by its tenant and run as it.</summary>
    public static NewJob Submits(TenantCaller? caller, string type, string inputs, string? idempotencyKey) =>
        new(type, inputs, idempotencyKey, caller?.Tenant, caller?.Admin ?? false);
}
