using Meridian.Messaging.RabbitMq;

namespace Meridian.Messaging.Tests.RabbitMq;

/// <summary>The contract on the broker scripts/test.sh started; its restart test restarts that broker's application.</summary>
public sealed class RabbitMqMessageBusTests : MessageBusContract
{
    private readonly RabbitMqBroker _broker = RabbitMqBroker.Shared();

    protected override Task<IMessageBus> OpenAsync() => Task.FromResult<IMessageBus>(new RabbitMqMessageBus(_broker.Uri, Policy));

    protected override Task RestartAsync() => _broker.RestartAsync();
}
