using Meridian.Messaging.Sqlite;

namespace Meridian.Messaging.Tests.Sqlite;

public sealed class SqliteMessageBusTests : MessageBusContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IMessageBus> OpenAsync() =>
        Task.FromResult<IMessageBus>(new SqliteMessageBus(Path.Combine(_directory.Path, "messages.db"), Policy));

    // The file is the whole state: reopening it is the restart.
    protected override Task RestartAsync() => Task.CompletedTask;

    public void Dispose() => _directory.Dispose();
}
