namespace Meridian.Messaging;

/// <summary>
/// The message-bus port: durable queues between the processes of one deployment (the API that accepts work and the
/// workers that do it). Delivery is at least once: a message is removed only when its handler returns
/// <see cref="MessageOutcome.Ack"/>, which it must do only after its effect has been committed. A handler that
/// fails (throws or returns <see cref="MessageOutcome.Retry"/>) gets the message again after an exponential backoff;
/// after <see cref="RetryPolicy.MaxAttempts"/> failed attempts, or at once on <see cref="MessageOutcome.Reject"/>, the
/// message moves to the queue's dead-letter queue (<see cref="DeadLetters.QueueOf"/>), where it waits for a person.
/// A consumer that stops or dies without settling a message leaves it to be delivered again, flagged
/// <see cref="Message.Redelivered"/>. Messages of one queue reach a single consumer with a prefetch of 1 in the
/// order they were published (retries go to the back).
/// </summary>
public interface IMessageBus : IAsyncDisposable
{
    /// <summary>
    /// Publishes one message and returns once the bus holds it durably (committed to SQLite, confirmed by the
    /// broker); the current <see cref="System.Diagnostics.Activity"/> travels with it as W3C trace context.
    /// </summary>
    Task PublishAsync(string queue, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers the queue's messages to <paramref name="handler"/>, at most <paramref name="prefetch"/> at a time,
    /// until the returned subscription is disposed. Disposing cancels the handlers still running and leaves their
    /// messages unsettled, so they are delivered again.
    /// </summary>
    Task<IAsyncDisposable> ConsumeAsync(string queue, int prefetch, MessageHandler handler, CancellationToken cancellationToken);
}

/// <summary>Handles one message; the token fires when the subscription is disposed or the bus stops.</summary>
public delegate Task<MessageOutcome> MessageHandler(Message message, CancellationToken cancellationToken);

/// <param name="Id">The id the publisher gave the message; it stays the same through retries.</param>
/// <param name="Attempt">1 on the first delivery, one more after each failed attempt.</param>
/// <param name="Redelivered">True when an earlier delivery ended without the message being settled (a consumer died).</param>
public sealed record Message(string Id, string Queue, ReadOnlyMemory<byte> Body, IReadOnlyDictionary<string, string> Headers, int Attempt, bool Redelivered);

/// <summary>What a handler says about a message.</summary>
public enum MessageOutcome
{
    /// <summary>Its effect is committed: remove the message.</summary>
    Ack,

    /// <summary>Try again after the backoff (a dead letter once the attempts run out).</summary>
    Retry,

    /// <summary>It can never succeed (malformed): straight to the dead-letter queue.</summary>
    Reject,
}

/// <summary>How failed messages come back: after BaseDelay, doubling each time up to MaxDelay, MaxAttempts times in all.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static readonly RetryPolicy Default = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 or more).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var doubled = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, nextAttempt - 2));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, MaxDelay.TotalMilliseconds));
    }
}

/// <summary>Where messages go when they cannot be handled, and the headers that say why.</summary>
public static class DeadLetters
{
    /// <summary>The header naming the reason a message was dead-lettered.</summary>
    public const string ReasonHeader = "x-meridian-dead-reason";

    public static string QueueOf(string queue) => queue + ".dead";
}
