using System.Text;
using System.Threading.Channels;
using Meridian.Messaging.RabbitMq;
using Microsoft.Extensions.Logging;

namespace Meridian.Messaging.Tests.RabbitMq;

/// <summary>The contract on the broker scripts/test.sh started; its restart test restarts that broker's application.</summary>
public sealed class RabbitMqMessageBusTests : MessageBusContract
{
    private readonly RabbitMqBroker _broker = RabbitMqBroker.Shared();

    protected override Task<IMessageBus> OpenAsync() => Task.FromResult<IMessageBus>(new RabbitMqMessageBus(_broker.Uri, Policy));

    protected override Task RestartAsync() => _broker.RestartAsync();

    [Fact]
    public async Task Publishers_and_consumers_carry_on_when_the_broker_goes_away_and_comes_back()
    {
        var queue = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var bus = new RabbitMqMessageBus(_broker.Uri, Policy);
        var received = Channel.CreateUnbounded<string>();
        await using var subscription = await bus.ConsumeAsync(queue, 1, async (message, _) =>
        {
            await received.Writer.WriteAsync(Encoding.UTF8.GetString(message.Body.Span));
            return MessageOutcome.Ack;
        }, CancellationToken.None);
        await bus.PublishAsync(queue, "before"u8.ToArray(), null, CancellationToken.None);
        Assert.Equal("before", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)));

        await _broker.StopAsync();
        // Published while the broker is away: the publish waits for it rather than failing or losing the message.
        var during = bus.PublishAsync(queue, "during"u8.ToArray(), null, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(during.IsCompleted);
        await _broker.StartAsync();
        await during.WaitAsync(TimeSpan.FromSeconds(60));
        await bus.PublishAsync(queue, "after"u8.ToArray(), null, CancellationToken.None);

        var next = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        var last = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["during", "after"], new[] { next, last });
    }

    // A worker stopping waits for the handlers it runs; one slow to notice (a job that does not check its token) must not
    // keep its consumer taking messages meanwhile: they would sit unacknowledged on its channel, out of every other
    // worker's reach, for as long as it takes. The consumer is cancelled first, and new messages go to the others.
    [Fact]
    public async Task A_stopping_subscription_takes_no_more_messages_while_its_handlers_finish()
    {
        var queue = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var bus = new RabbitMqMessageBus(_broker.Uri, Policy);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = await bus.ConsumeAsync(queue, 4, async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task; // a handler that does not watch its token
            return MessageOutcome.Ack;
        }, CancellationToken.None);
        await bus.PublishAsync(queue, "slow"u8.ToArray(), null, CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var disposing = stopping.DisposeAsync().AsTask();
        try
        {
            await NextGoesToAnotherConsumerAsync(bus, queue);
        }
        finally
        {
            release.TrySetResult();
        }
        await disposing.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private async Task NextGoesToAnotherConsumerAsync(RabbitMqMessageBus bus, string queue)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = _broker.Uri };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var consumers = uint.MaxValue;
            for (var poll = 0; poll < 600 && consumers > 0; poll++)
            {
                consumers = await channel.ConsumerCountAsync(queue);
                if (consumers > 0) await Task.Delay(100);
            }
            Assert.Equal(0u, consumers);
        }
        await bus.PublishAsync(queue, "next"u8.ToArray(), null, CancellationToken.None);
        var received = Channel.CreateUnbounded<string>();
        await using var other = await bus.ConsumeAsync(queue, 1, async (message, _) =>
        {
            await received.Writer.WriteAsync(Encoding.UTF8.GetString(message.Body.Span));
            return MessageOutcome.Ack;
        }, CancellationToken.None);

        Assert.Equal("next", await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
    }

    // Wrong credentials are an operator's mistake that no retry will mend: the warning must say the broker refused the
    // login (not merely "unreachable") and where, without ever writing the password it was given.
    [Fact]
    public async Task A_refused_login_is_logged_as_such_without_the_password()
    {
        const string password = "wrong-password-for-the-log-test";
        var uri = new UriBuilder(_broker.Uri) { Password = password }.Uri;
        var log = new FirstWarning();
        await using var bus = new RabbitMqMessageBus(uri, Policy, log);
        using var giveUp = new CancellationTokenSource();

        var publishing = bus.PublishAsync("test-" + Guid.NewGuid().ToString("N")[..12], "x"u8.ToArray(), null, giveUp.Token);
        var warning = await log.Logged.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publishing);

        Assert.Contains("ACCESS_REFUSED", warning, StringComparison.Ordinal);
        Assert.Contains($"{_broker.Uri.Host}:{_broker.Uri.Port}", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(password, warning, StringComparison.Ordinal);
    }

    private sealed class FirstWarning : ILogger<RabbitMqMessageBus>
    {
        public TaskCompletionSource<string> Logged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Logged.TrySetResult(formatter(state, exception) + " " + exception);
        }
    }
}
