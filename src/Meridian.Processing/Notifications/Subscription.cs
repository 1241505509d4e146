namespace Meridian.Processing.Notifications;

/// <summary>
/// A webhook subscription: where to POST events, which topics, optionally only one job's or one workflow's
/// events, and the secret the deliveries are signed with (never shown again after creation).
/// </summary>
public sealed record Subscription(string Id, string Url, IReadOnlyList<string> Topics, string? JobId, string? Workflow, string Secret, DateTimeOffset Created)
{
    public bool Matches(NotificationEvent e) =>
        Topics.Contains(e.Topic, StringComparer.Ordinal)
        && (JobId is null || JobId == e.Job.Id)
        && (Workflow is null || Workflow == e.Workflow);
}
