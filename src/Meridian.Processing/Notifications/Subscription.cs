using Meridian.Hosting.Catalog;
using Meridian.Storage.Jobs;

namespace Meridian.Processing.Notifications;

/// <summary>
/// A webhook subscription: where to POST events, which topics, optionally only one job's or one workflow's
/// events, and the secret the deliveries are signed with (never shown again after creation).
/// With tenants it belongs to its creator's tenant (<paramref name="Owner"/>) and receives the events of the jobs its
/// creator sees: the public ones and its tenant's, or every job's when an admin created it (<paramref name="Admin"/>).
/// A subscription without an owner (from before tenancy, or created without a tenant) is public: it receives public
/// jobs' events only, as an anonymous caller sees only those.
/// </summary>
public sealed record Subscription(string Id, string Url, IReadOnlyList<string> Topics, string? JobId, string? Workflow, string Secret, DateTimeOffset Created,
    string? Owner = null, bool Admin = false)
{
    /// <summary>A subscription for the caller, as <see cref="CollectionCatalog.CurrentCaller"/> names it (none: no tenancy, a public one).</summary>
    public static Subscription Create(string url, IReadOnlyList<string> topics, string? jobId, string? workflow, string secret, TenantCaller? caller) =>
        new(Guid.NewGuid().ToString("N"), url, topics, jobId, workflow, secret, DateTimeOffset.UtcNow, caller?.Tenant, caller?.Admin ?? false);

    /// <summary>The jobs whose events this subscription may receive (null: every job).</summary>
    private JobVisibility? Audience => Admin ? null : new JobVisibility(Owner);

    public bool Matches(NotificationEvent e) =>
        Topics.Contains(e.Topic, StringComparer.Ordinal)
        && (JobId is null || JobId == e.Job.Id)
        && (Workflow is null || Workflow == e.Workflow)
        && Audience?.Sees(e.JobOwner) != false;

    /// <summary>
    /// Whether a caller that sees <paramref name="visibility"/> may manage this subscription: its tenant's and the public
    /// ones, not an admin's (its deliveries show every tenant's jobs), all for an admin (null).
    /// </summary>
    public bool IsSeenBy(JobVisibility? visibility) => visibility is null || (!Admin && visibility.Sees(Owner));
}
