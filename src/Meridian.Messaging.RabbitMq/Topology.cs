using System.Collections.Concurrent;
using System.Globalization;
using RabbitMQ.Client;

namespace Meridian.Messaging.RabbitMq;

/// <summary>
/// The queues behind one logical queue Q, all durable, on the default exchange: Q itself, Q.dead for dead letters,
/// and a delay queue per backoff step, Q.retry.{ms}, whose messages expire after that many milliseconds and are
/// dead-lettered by the broker back into Q. One queue per delay (not per-message TTLs in one queue) because
/// RabbitMQ only expires messages at a queue's head: a long delay would hold up the short ones behind it.
/// </summary>
internal sealed class Topology(RetryPolicy policy)
{
    /// <summary>The attempt number travels as a header, since the broker does not count deliveries of classic queues.</summary>
    public const string AttemptHeader = "x-meridian-attempt";

    private readonly ConcurrentDictionary<string, byte> _declared = new(StringComparer.Ordinal);

    public RetryPolicy Policy => policy;

    public static string RetryQueue(string queue, TimeSpan delay) =>
        $"{queue}.retry.{((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Declares Q's queues once per channel generation (declaring is idempotent, but a round trip).</summary>
    public async Task DeclareAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        if (_declared.ContainsKey(queue)) return;
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(DeadLetters.QueueOf(queue), durable: true, exclusive: false, autoDelete: false, arguments: null,
            cancellationToken: cancellationToken);
        for (var attempt = 2; attempt <= policy.MaxAttempts; attempt++)
        {
            var delay = policy.DelayBefore(attempt);
            await channel.QueueDeclareAsync(RetryQueue(queue, delay), durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = queue,
                },
                cancellationToken: cancellationToken);
        }
        _declared[queue] = 0;
    }

    /// <summary>Forgets what was declared, for a new publishing channel after the broker came back (it may have lost nothing, or everything).</summary>
    public void Forget() => _declared.Clear();
}
