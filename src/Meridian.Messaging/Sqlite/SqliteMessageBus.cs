using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Meridian.Sqlite.SqliteCommands;

namespace Meridian.Messaging.Sqlite;

/// <summary>
/// The embedded bus: every queue is rows of one SQLite file (WAL), so an accepted message survives a crash or a
/// restart; delivery is in-process, woken by the publisher rather than by polling. A message a consumer holds is
/// marked with that consumer's token; settling deletes or moves it in one transaction. The file belongs to one
/// process: opening it releases whatever an earlier process held but never settled (it died), for redelivery.
/// </summary>
public sealed partial class SqliteMessageBus : IMessageBus
{
    /// <summary>The longest a consumer sleeps between looks at its queue when no publisher wakes it.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    private readonly string _connectionString;
    private readonly RetryPolicy _policy;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Pulse> _pulses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private bool _disposed;

    public SqliteMessageBus(string path, RetryPolicy? policy = null, ILogger<SqliteMessageBus>? logger = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _policy = policy ?? RetryPolicy.Default;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, queue TEXT NOT NULL, body BLOB NOT NULL,
                headers TEXT NOT NULL, attempt INTEGER NOT NULL, redelivered INTEGER NOT NULL, visible_at INTEGER NOT NULL, holder TEXT);
            CREATE INDEX IF NOT EXISTS messages_ready ON messages (queue, holder, seq);
            UPDATE messages SET holder = NULL, redelivered = 1 WHERE holder IS NOT NULL;
            """);
    }

    public Task PublishAsync(string queue, ReadOnlyMemory<byte> body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (activity, all) = MessageTracing.StartPublish(queue, headers);
        using (activity)
        {
            using var connection = Open();
            Insert(connection, queue, Guid.NewGuid().ToString("N"), body, all, attempt: 1, visibleAt: Now());
        }
        PulseOf(queue).Wake();
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> ConsumeAsync(string queue, int prefetch, MessageHandler handler, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        var subscription = new Subscription(this, queue, prefetch, handler);
        _subscriptions[subscription] = 0;
        subscription.Start();
        return Task.FromResult<IAsyncDisposable>(subscription);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var subscription in _subscriptions.Keys) await subscription.DisposeAsync();
    }

    private Pulse PulseOf(string queue) => _pulses.GetOrAdd(queue, _ => new Pulse());

    /// <summary>Takes the oldest visible message of the queue for this holder, or null.</summary>
    private Message? Claim(string queue, string holder)
    {
        using var connection = Open();
        using var command = Command(connection, """
            UPDATE messages SET holder = $holder
            WHERE seq = (SELECT seq FROM messages WHERE queue = $queue AND holder IS NULL AND visible_at <= $now ORDER BY seq LIMIT 1)
            RETURNING id, body, headers, attempt, redelivered
            """, ("$holder", holder), ("$queue", queue), ("$now", Now()));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2))!;
        return new Message(reader.GetString(0), queue, (byte[])reader[1], headers, reader.GetInt32(3), reader.GetInt32(4) == 1);
    }

    /// <summary>How long until a delayed message of the queue becomes visible, within the idle check.</summary>
    private TimeSpan UntilNextDue(string queue)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT min(visible_at) FROM messages WHERE queue = $queue AND holder IS NULL", ("$queue", queue));
        var next = command.ExecuteScalar();
        if (next is not long due) return IdleCheck;
        return TimeSpan.FromMilliseconds(Math.Clamp(due - Now(), 1, IdleCheck.TotalMilliseconds));
    }

    private void Settle(Message message, string holder, Settlement settlement)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        // A holder's own message only: one released at start-up (another process's now) is not ours to settle.
        var owned = Execute(connection, settlement is Settlement.Abandon
                ? "UPDATE messages SET holder = NULL, redelivered = 1 WHERE id = $id AND queue = $queue AND holder = $holder"
                : "DELETE FROM messages WHERE id = $id AND queue = $queue AND holder = $holder",
            ("$id", message.Id), ("$queue", message.Queue), ("$holder", holder)) == 1;
        if (owned)
        {
            switch (settlement)
            {
                case Settlement.Retry retry:
                    LogRetry(message.Queue, message.Id, message.Attempt, retry.Delay, retry.Reason);
                    Insert(connection, message.Queue, message.Id, message.Body, message.Headers, retry.NextAttempt,
                        Now() + (long)retry.Delay.TotalMilliseconds);
                    break;
                case Settlement.DeadLetter dead:
                    LogDeadLetter(message.Queue, message.Id, dead.Reason);
                    var headers = new Dictionary<string, string>(message.Headers) { [DeadLetters.ReasonHeader] = dead.Reason };
                    Insert(connection, DeadLetters.QueueOf(message.Queue), message.Id, message.Body, headers, message.Attempt, Now());
                    break;
            }
        }
        transaction.Commit();
        if (owned && settlement is Settlement.Abandon) PulseOf(message.Queue).Wake();
        if (owned && settlement is Settlement.Retry or Settlement.DeadLetter) PulseOf(DeadLetters.QueueOf(message.Queue)).Wake();
    }

    private static void Insert(SqliteConnection connection, string queue, string id, ReadOnlyMemory<byte> body,
        IReadOnlyDictionary<string, string> headers, int attempt, long visibleAt) =>
        Execute(connection, """
            INSERT INTO messages (id, queue, body, headers, attempt, redelivered, visible_at) VALUES ($id, $queue, $body, $headers, $attempt, 0, $visible)
            """, ("$id", id), ("$queue", queue), ("$body", body.ToArray()), ("$headers", JsonSerializer.Serialize(headers)),
            ("$attempt", attempt), ("$visible", visibleAt));

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Wakes every consumer of a queue waiting for a message.</summary>
    private sealed class Pulse
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => Volatile.Read(ref _next).Task;

        public void Wake() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>One consumer: a loop that claims messages while it has fewer than prefetch in hand, each handled on its own task.</summary>
    private sealed class Subscription(SqliteMessageBus bus, string queue, int prefetch, MessageHandler handler) : IAsyncDisposable
    {
        private readonly string _holder = Guid.NewGuid().ToString("N");
        private readonly SemaphoreSlim _slots = new(prefetch, prefetch);
        private readonly CancellationTokenSource _stopping = new();
        private readonly InFlight _handling = new();
        private Task _loop = Task.CompletedTask;

        public void Start() => _loop = Task.Run(LoopAsync);

        private async Task LoopAsync()
        {
            var token = _stopping.Token;
            try
            {
                while (true)
                {
                    await _slots.WaitAsync(token);
                    var pulse = bus.PulseOf(queue).Next;
                    Message? message;
                    try
                    {
                        message = bus.Claim(queue, _holder);
                    }
                    catch (SqliteException e)
                    {
                        bus.LogStoreError(e, queue);
                        message = null;
                    }
                    if (message is null)
                    {
                        _slots.Release();
                        await Task.WhenAny(pulse, Task.Delay(bus.UntilNextDue(queue), token));
                        token.ThrowIfCancellationRequested();
                        continue;
                    }
                    _ = _handling.Track(HandleAsync(message, token));
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
        }

        private async Task HandleAsync(Message message, CancellationToken token)
        {
            try
            {
                await Task.Yield();
                var settlement = await Settlement.RunAsync(message, handler, bus._policy, token);
                bus.Settle(message, _holder, settlement);
            }
            catch (Exception e)
            {
                // The store failed while settling: the message stays held until this process restarts, then comes back.
                bus.LogStoreError(e, queue);
            }
            finally
            {
                _slots.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stopping.IsCancellationRequested) return;
            await _stopping.CancelAsync();
            await _loop;
            await _handling.WhenAll();
            bus._subscriptions.TryRemove(this, out _);
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} failed attempt {Attempt}; retrying in {Delay}: {Reason}")]
    private partial void LogRetry(string queue, string messageId, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} moved to the dead-letter queue: {Reason}")]
    private partial void LogDeadLetter(string queue, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The message store failed for queue {Queue}")]
    private partial void LogStoreError(Exception exception, string queue);
}
