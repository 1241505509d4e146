using Meridian.Storage.Jobs;

namespace Meridian.Hosting.Catalog;

/// <summary>
/// A caller as far as tenancy goes, kept to act for it after its request ended: a workflow's steps run in a worker
/// as the caller that started the workflow (<see cref="CollectionCatalog.ActAs"/>).
/// </summary>
/// <param name="Tenant">Its tenant, which owns what it creates; none: anonymous (or a credential without a tenant), whose creations are public.</param>
/// <param name="Admin">An admin sees every tenant's collections and jobs.</param>
public sealed record TenantCaller(string? Tenant, bool Admin = false)
{
    /// <summary>The jobs (and other owned things) this caller sees: null, every one, for an admin.</summary>
    public JobVisibility? JobVisibility => Admin ? null : new JobVisibility(Tenant);
}
