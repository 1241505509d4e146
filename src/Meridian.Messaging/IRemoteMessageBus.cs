namespace Meridian.Messaging;

/// <summary>
/// A bus in a server of its own (a broker), which can be away while this process runs: the roles that use it report it
/// in their readiness.
/// </summary>
public interface IRemoteMessageBus : IMessageBus
{
    /// <summary>The broker for logs and readiness reports, e.g. "rabbitmq:amqp://mq:5672 vhost /"; never a credential.</summary>
    string Name { get; }

    /// <summary>Throws when the broker cannot be reached now; one attempt, no retries, so the caller decides how long to wait.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
