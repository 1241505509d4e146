using System.Net.Http.Headers;
using System.Text.Json;
using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Processing.Notifications;

/// <summary>
/// The <c>notifications</c> role's loop: delivers each subscription's events in order, one at a time. A failed
/// delivery is retried with exponential backoff (FirstRetrySeconds, doubling, up to MaxRetrySeconds) and holds back
/// the subscription's later events, so a receiver always sees them in order; after MaxAttempts it goes to the dead
/// letters and the next event proceeds. Every attempt is in the delivery history. Subscriptions are delivered
/// concurrently. Run one replica of this role: two would deliver the same events (receivers would drop the
/// repeats by their Idempotency-Key, but order across the two would not hold).
/// </summary>
public sealed partial class WebhookDeliverer(
    SubscriptionStore subscriptions,
    NotificationOutbox outbox,
    MeridianOptions options,
    ILogger<WebhookDeliverer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);

    private readonly NotificationsOptions _options = options.Notifications;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = options.Notifications.AllowPrivateNetworks ? null : PublicAddressGuard.ConnectAsync,
    })
    {
        Timeout = TimeSpan.FromSeconds(options.Notifications.TimeoutSeconds),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Min(MaxPoll.TotalSeconds, _options.FirstRetrySeconds));
        while (true)
        {
            try
            {
                var all = await subscriptions.ListAsync(stoppingToken);
                await Task.WhenAll(all.Select(s => DrainAsync(s, stoppingToken)));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogLoopFailed(e);
            }
            try
            {
                await outbox.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Delivers the subscription's due events in order, stopping at the first that must wait for a retry.</summary>
    private async Task DrainAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        foreach (var (delivery, sequence) in await subscriptions.PendingAsync(subscription.Id, cancellationToken))
        {
            if (delivery.NextAttemptAt > DateTimeOffset.UtcNow) return;
            var attempt = await SendAsync(subscription, delivery.Event, cancellationToken);
            delivery.Attempts.Add(attempt);
            if (attempt.Error is null) delivery.Outcome = DeliveryOutcome.Delivered;
            else if (delivery.Attempts.Count >= _options.MaxAttempts) delivery.Outcome = DeliveryOutcome.DeadLettered;
            else delivery.NextAttemptAt = DateTimeOffset.UtcNow + Backoff(delivery.Attempts.Count);
            await subscriptions.UpdateAsync(delivery, sequence, CancellationToken.None);
            if (delivery.Outcome == DeliveryOutcome.DeadLettered) LogDeadLettered(delivery.Event.Id, subscription.Id, delivery.Attempts.Count);
            if (delivery.Outcome == DeliveryOutcome.Pending) return;
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(_options.MaxRetrySeconds, _options.FirstRetrySeconds * Math.Pow(2, failures - 1)));

    private async Task<DeliveryAttempt> SendAsync(Subscription subscription, NotificationEvent e, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.SerializeToUtf8Bytes(e, NotificationEvent.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Idempotency-Key", e.Id);
        request.Headers.Add("Meridian-Event", e.Topic);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(subscription.Secret, now, body));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new DeliveryAttempt(now, status, response.IsSuccessStatusCode ? null : $"the endpoint answered {status} {response.ReasonPhrase}");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(now, null, error is TaskCanceledException ? "no answer within the timeout" : error.Message);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} for subscription {SubscriptionId} went to the dead letters after {Attempts} attempts")]
    private partial void LogDeadLettered(string eventId, string subscriptionId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery failed; retrying")]
    private partial void LogLoopFailed(Exception exception);
}
