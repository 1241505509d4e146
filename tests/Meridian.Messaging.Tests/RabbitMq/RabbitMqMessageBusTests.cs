using System.Text;
using System.Threading.Channels;
using Meridian.Messaging.RabbitMq;

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
}
