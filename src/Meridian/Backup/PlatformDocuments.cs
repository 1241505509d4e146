using Meridian.Processing.Notifications;
using Meridian.Processing.Workflows;
using Meridian.Storage.Objects;

namespace Meridian.Backup;

/// <summary>
/// The documents of the object store's reserved area that are platform state a restore must give back: workflow
/// definitions and their owners, webhook subscriptions (their signing secrets with them). Not the subscriptions'
/// queues, delivery history and dead letters, nor workflow checkpoints: they belong to deliveries and executions in
/// flight, which a restored platform does not resume. A restore writes no other key, whatever an archive lists.
/// </summary>
internal static class PlatformDocuments
{
    public static readonly IReadOnlyList<string> Folders = [WorkflowRegistry.Folder, WorkflowRegistry.OwnerFolder, SubscriptionStore.SubscriptionsFolder];

    /// <summary>Whether a key of the reserved area (without its <c>.meridian/</c>) is a document directly in one of <see cref="Folders"/>.</summary>
    public static bool IsBackedUp(string key) =>
        ObjectKey.TryParse(key, out _, out _) && key.EndsWith(".json", StringComparison.Ordinal)
        && Folders.Any(f => key.StartsWith(f, StringComparison.Ordinal) && key.IndexOf('/', f.Length) < 0);

    /// <summary>The entry of a document in an archive.</summary>
    public static string EntryOf(string key) => "documents/" + key;

    /// <summary>The document's key in the object store.</summary>
    public static ObjectKey StoreKey(string key) => Processing.ReservedDocuments.Key(key);
}
