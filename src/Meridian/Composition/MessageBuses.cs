using Meridian.Hosting.Configuration;
using Meridian.Messaging;
using Meridian.Messaging.RabbitMq;
using Meridian.Messaging.Sqlite;

namespace Meridian.Composition;

/// <summary>
/// The message bus the options ask for: RabbitMQ when <c>Messaging:RabbitMq</c> names one (every process of a
/// deployment shares it, so workers scale out), else the durable SQLite bus in DATA/messages.db.
/// </summary>
internal static class MessageBuses
{
    public static void Register(IServiceCollection services, MeridianOptions options)
    {
        var rabbitMq = RabbitMqUri(options.Messaging);
        // Built on first use, so roles that neither submit nor run jobs never open a bus.
        services.AddSingleton<IMessageBus>(sp => rabbitMq is null
            ? new SqliteMessageBus(Path.Combine(options.Data, "messages.db"), logger: sp.GetRequiredService<ILogger<SqliteMessageBus>>())
            : new RabbitMqMessageBus(rabbitMq, logger: sp.GetRequiredService<ILogger<RabbitMqMessageBus>>()));
    }

    /// <summary>Checks the URI now, so that a bad one stops start-up naming the setting (but never echoing it: it holds a password).</summary>
    private static Uri? RabbitMqUri(MessagingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.RabbitMq)) return null;
        if (Uri.TryCreate(options.RabbitMq, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && uri.Host.Length > 0) return uri;
        throw new OptionsException(["Meridian:Messaging:RabbitMq: not an amqp:// or amqps:// URI with a host"]);
    }
}
