using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Meridian.Messaging.RabbitMq;

/// <summary>
/// The distributed bus on RabbitMQ. Every queue is durable and every message persistent, published with confirms
/// (a publish returns once the broker has the message); consumers ack manually after their handler's effect is
/// committed, with a prefetch limit (basic.qos). Retries wait in delay queues (<see cref="Topology"/>) whose TTL
/// dead-letters them back into the work queue, so backoff costs no timer in any process and survives restarts.
/// The connection recovers by itself when the broker restarts, consumers included; a publish made while the broker
/// is away waits for it and tries again (at least once: a confirm lost with the connection means a duplicate).
/// </summary>
public sealed partial class RabbitMqMessageBus : IRemoteMessageBus
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly ConnectionFactory _factory;
    private readonly Topology _topology;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly CancellationTokenSource _disposing = new();
    private IConnection? _connection;
    private IChannel? _publisher;

    /// <param name="uri">amqp://user:password@host:port/vhost</param>
    public RabbitMqMessageBus(Uri uri, RetryPolicy? policy = null, ILogger<RabbitMqMessageBus>? logger = null)
    {
        _factory = new ConnectionFactory
        {
            Uri = uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = ReconnectDelay,
            ClientProvidedName = $"meridian/{Environment.ProcessId}",
        };
        _topology = new Topology(policy ?? RetryPolicy.Default);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task PublishAsync(string queue, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var (activity, all) = MessageTracing.StartPublish(queue, headers);
        using (activity) await SendAsync(queue, queue, Guid.NewGuid().ToString("N"), body, all, attempt: 1, cancellationToken);
    }

    public async Task<IAsyncDisposable> ConsumeAsync(string queue, int prefetch, MessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefetch, ushort.MaxValue);
        while (true)
        {
            try
            {
                var connection = await ConnectionAsync(cancellationToken);
                var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
                        consumerDispatchConcurrency: (ushort)prefetch), cancellationToken);
                await _topology.DeclareAsync(channel, queue, cancellationToken);
                await channel.BasicQosAsync(0, (ushort)prefetch, global: false, cancellationToken);
                var subscription = new Subscription(this, channel, queue, handler);
                await subscription.StartAsync(cancellationToken);
                _subscriptions[subscription] = 0;
                return subscription;
            }
            catch (Exception e) when (IsBrokerAway(e) && !cancellationToken.IsCancellationRequested)
            {
                BrokerAway(e);
                await Task.Delay(ReconnectDelay, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested) return;
        await _disposing.CancelAsync();
        foreach (var subscription in _subscriptions.Keys) await subscription.DisposeAsync();
        if (_connection is not null)
        {
            try { await _connection.CloseAsync(); }
            catch (Exception e) when (IsBrokerAway(e)) { }
            _connection.Dispose();
        }
    }

    /// <summary>Publishes with a confirm, waiting out a broker that is away, until the token gives up.</summary>
    private async Task SendAsync(string queue, string routingKey, string id, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string> headers,
        int attempt, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var properties = new BasicProperties
        {
            MessageId = id,
            Persistent = true,
            Headers = headers.ToDictionary(h => h.Key, h => (object?)h.Value),
        };
        properties.Headers[Topology.AttemptHeader] = attempt;
        while (true)
        {
            try
            {
                var channel = await PublisherAsync(linked.Token);
                await _topology.DeclareAsync(channel, queue, linked.Token);
                // mandatory: a message no queue takes comes back as a failed publish instead of vanishing.
                await channel.BasicPublishAsync("", routingKey, mandatory: true, properties, body, linked.Token);
                return;
            }
            catch (Exception e) when (IsBrokerAway(e) && !linked.IsCancellationRequested)
            {
                BrokerAway(e);
                await ResetPublisherAsync();
                await Task.Delay(ReconnectDelay, linked.Token);
            }
        }
    }

    public string Name => $"rabbitmq:{_factory.Endpoint} vhost {_factory.VirtualHost}";

    /// <summary>
    /// The connection's state, or, before there is one, a single attempt at making it (kept for the bus when it
    /// succeeds): a broker that refuses or drops the connection fails at once, one that never answers is the caller's
    /// token to give up on.
    /// </summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken, retry: false);
        if (!connection.IsOpen)
            throw new InvalidOperationException($"the connection to the broker is lost ({connection.CloseReason?.ReplyText ?? "no reason given"}); reconnecting");
    }

    /// <summary>
    /// The connection, made on first use. Recovery keeps a connection once made; only the first one must be retried by
    /// hand, every <see cref="ReconnectDelay"/> unless <paramref name="retry"/> is false. The lock is held for one
    /// attempt at a time, not between them, so that a readiness check makes its own attempt instead of waiting for a
    /// consumer's retries to end.
    /// </summary>
    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken, bool retry = true)
    {
        while (true)
        {
            if (_connection is { } open) return open;
            await _connecting.WaitAsync(cancellationToken);
            try
            {
                return _connection ??= await _factory.CreateConnectionAsync(cancellationToken);
            }
            catch (BrokerUnreachableException e) when (retry)
            {
                BrokerAway(e);
            }
            finally
            {
                _connecting.Release();
            }
            await Task.Delay(ReconnectDelay, cancellationToken);
        }
    }

    private async Task<IChannel> PublisherAsync(CancellationToken cancellationToken)
    {
        if (_publisher is { IsOpen: true } open) return open;
        var connection = await ConnectionAsync(cancellationToken);
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_publisher is { IsOpen: true } again) return again;
            _publisher?.Dispose();
            _topology.Forget();
            _publisher = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            return _publisher;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Drops a publishing channel that failed (a declare or publish error closes it), so the next try opens another.</summary>
    private async Task ResetPublisherAsync()
    {
        await _connecting.WaitAsync();
        try
        {
            if (_publisher is { IsOpen: false } closed)
            {
                closed.Dispose();
                _publisher = null;
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    private static bool IsBrokerAway(Exception e) =>
        e is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or PublishException or IOException
            or ObjectDisposedException;

    private static Message ToMessage(string queue, BasicDeliverEventArgs delivery)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var attempt = 1;
        foreach (var (name, value) in delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
        {
            if (name == Topology.AttemptHeader) attempt = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            else if (name.StartsWith("x-death", StringComparison.Ordinal) || name.StartsWith("x-first-death", StringComparison.Ordinal) || name.StartsWith("x-last-death", StringComparison.Ordinal)) continue;
            else if (value is byte[] bytes) headers[name] = Encoding.UTF8.GetString(bytes);
            else if (value is not null) headers[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
        }
        return new Message(delivery.BasicProperties.MessageId ?? "", queue, delivery.Body.ToArray(), headers, attempt, delivery.Redelivered);
    }

    /// <summary>One consumer on its own channel; disposing closes the channel, so the broker requeues what it had not acked.</summary>
    private sealed class Subscription(RabbitMqMessageBus bus, IChannel channel, string queue, MessageHandler handler) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private readonly InFlight _handling = new();
        private string? _consumerTag;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => _handling.Track(HandleAsync(delivery));
            _consumerTag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        }

        private async Task HandleAsync(BasicDeliverEventArgs delivery)
        {
            var message = ToMessage(queue, delivery);
            try
            {
                var settlement = await Settlement.RunAsync(message, handler, bus._topology.Policy, _stopping.Token);
                switch (settlement)
                {
                    case Settlement.Abandon:
                        return;
                    case Settlement.Retry retry:
                        bus.LogRetry(queue, message.Id, message.Attempt, retry.Delay, retry.Reason);
                        await bus.SendAsync(queue, Topology.RetryQueue(queue, retry.Delay), message.Id, message.Body, message.Headers,
                            retry.NextAttempt, CancellationToken.None);
                        break;
                    case Settlement.DeadLetter dead:
                        bus.LogDeadLetter(queue, message.Id, dead.Reason);
                        var headers = new Dictionary<string, string>(message.Headers) { [DeadLetters.ReasonHeader] = dead.Reason };
                        await bus.SendAsync(queue, DeadLetters.QueueOf(queue), message.Id, message.Body, headers, message.Attempt, CancellationToken.None);
                        break;
                }
                // The copy is confirmed before the original goes: a crash in between duplicates, never loses.
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            }
            catch (Exception e) when (IsBrokerAway(e))
            {
                // The channel went down: the broker requeues the unacked message for the recovered consumer.
                bus.BrokerAway(e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stopping.IsCancellationRequested) return;
            bus._subscriptions.TryRemove(this, out _);
            await _stopping.CancelAsync();
            // No new deliveries while the handlers finish: a slow one would otherwise keep up to a prefetch of messages
            // unacknowledged on this channel, out of the other consumers' reach, until it ends.
            try { if (_consumerTag is not null) await channel.BasicCancelAsync(_consumerTag); }
            catch (Exception e) when (IsBrokerAway(e)) { }
            await _handling.WhenAll();
            try { await channel.CloseAsync(); }
            catch (Exception e) when (IsBrokerAway(e)) { }
            channel.Dispose();
        }
    }

    /// <summary>
    /// The exception's message with its root cause: the client's "None of the specified endpoints were reachable" wraps the
    /// reason an operator needs (a refused connection, or ACCESS_REFUSED for wrong credentials, which no retry mends).
    /// Neither the client's messages nor the endpoint logged carry the URI's password.
    /// </summary>
    private static string Reason(Exception e) => e.GetBaseException() is { } root && root != e ? $"{e.Message} ({root.Message})" : e.Message;

    private void BrokerAway(Exception e) => LogBrokerAway(_factory.Endpoint.ToString(), _factory.VirtualHost, Reason(e));

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Endpoint}, virtual host {VirtualHost}, is unreachable, refused the connection or closed the channel; retrying: {Reason}")]
    private partial void LogBrokerAway(string endpoint, string virtualHost, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} failed attempt {Attempt}; retrying in {Delay}: {Reason}")]
    private partial void LogRetry(string queue, string messageId, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} moved to the dead-letter queue: {Reason}")]
    private partial void LogDeadLetter(string queue, string messageId, string reason);
}
