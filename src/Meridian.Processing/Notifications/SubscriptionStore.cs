namespace Meridian.Processing.Notifications;

/// <summary>
/// Subscriptions, their pending deliveries (a queue per subscription, in event order), their delivery history and
/// dead letters, all in the object store's reserved area: every role and replica shares them in both deployment
/// modes, with nothing else to run. Keys of one subscription's queue sort in event order.
/// </summary>
public sealed class SubscriptionStore(ReservedDocuments documents)
{
    private const string Root = "notifications/";

    /// <summary>Where subscriptions are kept in the reserved area, one <c>ID.json</c> each (a backup copies them; their queues it does not).</summary>
    public const string SubscriptionsFolder = Root + "subscriptions/";

    public async Task CreateAsync(Subscription subscription, CancellationToken cancellationToken) =>
        await documents.WriteAsync(SubscriptionKey(subscription.Id), subscription, NotificationEvent.Json, cancellationToken);

    public async Task<Subscription?> GetAsync(string id, CancellationToken cancellationToken) =>
        IsValidId(id) ? await documents.ReadAsync<Subscription>(SubscriptionKey(id), NotificationEvent.Json, cancellationToken) : null;

    public async Task<List<Subscription>> ListAsync(CancellationToken cancellationToken)
    {
        var subscriptions = new List<Subscription>();
        foreach (var key in await documents.ListAsync(SubscriptionsFolder, cancellationToken))
        {
            if (await documents.ReadAsync<Subscription>(key, NotificationEvent.Json, cancellationToken) is { } s) subscriptions.Add(s);
        }
        return subscriptions;
    }

    /// <summary>Removes the subscription and what it still had to deliver; its history and dead letters stay for inspection.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id) || !await documents.DeleteAsync(SubscriptionKey(id), cancellationToken)) return false;
        foreach (var key in await documents.ListAsync($"{Root}queue/{id}/", cancellationToken)) await documents.DeleteAsync(key, cancellationToken);
        return true;
    }

    public async Task EnqueueAsync(Delivery delivery, long sequence, CancellationToken cancellationToken)
    {
        await documents.WriteAsync(QueueKey(delivery, sequence), delivery, NotificationEvent.Json, cancellationToken);
        await documents.WriteAsync(HistoryKey(delivery, sequence), delivery, NotificationEvent.Json, cancellationToken);
    }

    /// <summary>The subscription's pending deliveries, oldest event first, each with its sequence in the queue.</summary>
    public async Task<List<(Delivery Delivery, long Sequence)>> PendingAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var pending = new List<(Delivery, long)>();
        foreach (var key in await documents.ListAsync($"{Root}queue/{subscriptionId}/", cancellationToken))
        {
            if (await documents.ReadAsync<Delivery>(key, NotificationEvent.Json, cancellationToken) is { } delivery) pending.Add((delivery, SequenceOf(key.Value)));
        }
        return pending;
    }

    /// <summary>Records an attempt's result: still pending (queue and history updated), delivered or dead-lettered (out of the queue).</summary>
    public async Task UpdateAsync(Delivery delivery, long sequence, CancellationToken cancellationToken)
    {
        await documents.WriteAsync(HistoryKey(delivery, sequence), delivery, NotificationEvent.Json, cancellationToken);
        if (delivery.Outcome == DeliveryOutcome.Pending)
        {
            await documents.WriteAsync(QueueKey(delivery, sequence), delivery, NotificationEvent.Json, cancellationToken);
            return;
        }
        if (delivery.Outcome == DeliveryOutcome.DeadLettered)
            await documents.WriteAsync(Key("dead-letters", delivery, sequence), delivery, NotificationEvent.Json, cancellationToken);
        await documents.DeleteAsync(QueueKey(delivery, sequence), cancellationToken);
    }

    /// <summary>The subscription's deliveries, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<List<Delivery>> HistoryAsync(string subscriptionId, int limit, CancellationToken cancellationToken)
    {
        var keys = await documents.ListAsync($"{Root}deliveries/{subscriptionId}/", cancellationToken);
        var history = new List<Delivery>();
        foreach (var key in keys.AsEnumerable().Reverse().Take(limit))
        {
            if (await documents.ReadAsync<Delivery>(key, NotificationEvent.Json, cancellationToken) is { } delivery) history.Add(delivery);
        }
        return history;
    }

    /// <summary>Subscription ids are generated (32 hex digits); anything else names no subscription.</summary>
    public static bool IsValidId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private static Storage.Objects.ObjectKey SubscriptionKey(string id) => ReservedDocuments.Key($"{SubscriptionsFolder}{id}.json");

    private static Storage.Objects.ObjectKey QueueKey(Delivery delivery, long sequence) => Key("queue", delivery, sequence);

    private static Storage.Objects.ObjectKey HistoryKey(Delivery delivery, long sequence) => Key("deliveries", delivery, sequence);

    /// <summary>The sequence first, zero-padded, so that listing a folder (in key order) lists events in order.</summary>
    private static Storage.Objects.ObjectKey Key(string folder, Delivery delivery, long sequence) =>
        ReservedDocuments.Key($"{Root}{folder}/{delivery.SubscriptionId}/{sequence:D19}-{delivery.Event.Id}.json");

    private static long SequenceOf(string key) => long.Parse(key.AsSpan(key.LastIndexOf('/') + 1, 19), System.Globalization.CultureInfo.InvariantCulture);
}
