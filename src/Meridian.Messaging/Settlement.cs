using System.Diagnostics;

namespace Meridian.Messaging;

/// <summary>What becomes of a delivered message once its handler has run: the one decision both adapters share.</summary>
internal abstract record Settlement
{
    private Settlement() { }

    /// <summary>Remove it: the handler committed its effect.</summary>
    public sealed record Ack : Settlement;

    /// <summary>Deliver it again as attempt <paramref name="NextAttempt"/> after <paramref name="Delay"/>.</summary>
    public sealed record Retry(int NextAttempt, TimeSpan Delay, string Reason) : Settlement;

    /// <summary>Move it to the dead-letter queue.</summary>
    public sealed record DeadLetter(string Reason) : Settlement;

    /// <summary>Leave it unsettled: the consumer is stopping, so the message goes back for another consumer.</summary>
    public sealed record Abandon : Settlement;

    /// <summary>Runs the handler inside the delivery's consumer activity and decides the message's fate.</summary>
    public static async Task<Settlement> RunAsync(Message message, MessageHandler handler, RetryPolicy policy, CancellationToken cancellationToken)
    {
        using var activity = MessageTracing.StartProcess(message);
        MessageOutcome outcome;
        string reason;
        try
        {
            outcome = await handler(message, cancellationToken);
            reason = outcome == MessageOutcome.Reject ? "rejected by its handler" : "its handler asked for a retry";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new Abandon();
        }
        catch (Exception e)
        {
            outcome = MessageOutcome.Retry;
            reason = $"{e.GetType().Name}: {e.Message}";
            activity?.SetStatus(ActivityStatusCode.Error, reason);
        }
        return outcome switch
        {
            MessageOutcome.Ack => new Ack(),
            MessageOutcome.Retry when message.Attempt < policy.MaxAttempts => new Retry(message.Attempt + 1, policy.DelayBefore(message.Attempt + 1), reason),
            MessageOutcome.Retry => new DeadLetter($"{reason} (attempt {message.Attempt} of {policy.MaxAttempts})"),
            _ => new DeadLetter(reason),
        };
    }
}
