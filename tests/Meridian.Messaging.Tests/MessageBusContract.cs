using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Meridian.Messaging.Tests;

/// <summary>What every message bus must do, run against the SQLite bus and RabbitMQ.</summary>
public abstract class MessageBusContract : IAsyncLifetime
{
    /// <summary>Short delays, so that backoff shows in a test's time; three attempts in all.</summary>
    protected static readonly RetryPolicy Policy = new(3, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Each test has queues of its own, so tests sharing a broker never see each other's messages.
    private readonly string _queue = "test-" + Guid.NewGuid().ToString("N")[..12];
    private IMessageBus _bus = null!;

    /// <summary>Opens a bus on the adapter's backing store; opening again after a restart finds the same queues.</summary>
    protected abstract Task<IMessageBus> OpenAsync();

    /// <summary>Restarts what holds the messages (nothing for SQLite, whose file is reopened; the broker for RabbitMQ).</summary>
    protected abstract Task RestartAsync();

    public async Task InitializeAsync() => _bus = await OpenAsync();

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private Task PublishAsync(string body, IReadOnlyDictionary<string, string>? headers = null, string? queue = null) =>
        _bus.PublishAsync(queue ?? _queue, Encoding.UTF8.GetBytes(body), headers, CancellationToken.None);

    /// <summary>Consumes into a channel, acking every message, until the subscription is disposed.</summary>
    private async Task<(IAsyncDisposable Subscription, ChannelReader<Message> Received)> CollectAsync(string? queue = null, int prefetch = 1)
    {
        var received = Channel.CreateUnbounded<Message>();
        var subscription = await _bus.ConsumeAsync(queue ?? _queue, prefetch, async (message, _) =>
        {
            await received.Writer.WriteAsync(message);
            return MessageOutcome.Ack;
        }, CancellationToken.None);
        return (subscription, received.Reader);
    }

    private static async Task<T> WithinPatience<T>(ValueTask<T> task) => await task.AsTask().WaitAsync(Patience);

    private static string Text(Message message) => Encoding.UTF8.GetString(message.Body.Span);

    [Fact]
    public async Task A_message_arrives_with_its_body_and_headers()
    {
        await PublishAsync("""{"job":"j-1"}""", new Dictionary<string, string> { ["kind"] = "ingest", ["tenant"] = "ü-ñ" });
        var (subscription, received) = await CollectAsync();
        await using var _ = subscription;

        var message = await WithinPatience(received.ReadAsync());

        Assert.Equal("""{"job":"j-1"}""", Text(message));
        Assert.Equal("ingest", message.Headers["kind"]);
        Assert.Equal("ü-ñ", message.Headers["tenant"]);
        Assert.Equal(1, message.Attempt);
        Assert.False(message.Redelivered);
        Assert.NotEmpty(message.Id);
        Assert.Equal(_queue, message.Queue);
    }

    [Fact]
    public async Task One_consumer_with_prefetch_one_gets_messages_in_publish_order()
    {
        for (var i = 0; i < 30; i++) await PublishAsync(i.ToString());
        var (subscription, received) = await CollectAsync();
        await using var _ = subscription;

        var order = new List<string>();
        for (var i = 0; i < 30; i++) order.Add(Text(await WithinPatience(received.ReadAsync())));

        Assert.Equal(Enumerable.Range(0, 30).Select(i => i.ToString()), order);
    }

    [Fact]
    public async Task A_consumer_never_holds_more_messages_than_its_prefetch()
    {
        for (var i = 0; i < 12; i++) await PublishAsync(i.ToString());
        int holding = 0, most = 0, done = 0;
        var all = new TaskCompletionSource();
        await using var subscription = await _bus.ConsumeAsync(_queue, 3, async (_, ct) =>
        {
            var now = Interlocked.Increment(ref holding);
            InterlockedMax(ref most, now);
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref holding);
            if (Interlocked.Increment(ref done) == 12) all.SetResult();
            return MessageOutcome.Ack;
        }, CancellationToken.None);

        await all.Task.WaitAsync(Patience);

        Assert.InRange(most, 1, 3);
    }

    [Fact]
    public async Task A_message_whose_consumer_stops_without_acking_is_delivered_again()
    {
        await PublishAsync("work");
        var taken = new TaskCompletionSource<Message>();
        var crashed = await _bus.ConsumeAsync(_queue, 1, async (message, ct) =>
        {
            taken.TrySetResult(message);
            await Task.Delay(Timeout.Infinite, ct);
            return MessageOutcome.Ack;
        }, CancellationToken.None);
        var first = await taken.Task.WaitAsync(Patience);

        await crashed.DisposeAsync();
        var (subscription, received) = await CollectAsync();
        await using var _ = subscription;
        var again = await WithinPatience(received.ReadAsync());

        Assert.Equal(first.Id, again.Id);
        Assert.Equal("work", Text(again));
        Assert.True(again.Redelivered);
        Assert.Equal(1, again.Attempt);
    }

    [Fact]
    public async Task A_failing_message_comes_back_after_a_growing_backoff_then_is_dead_lettered()
    {
        await PublishAsync("poison", new Dictionary<string, string> { ["kind"] = "test" });
        var attempts = Channel.CreateUnbounded<(Message Message, long At)>();
        var clock = Stopwatch.StartNew();
        await using (await _bus.ConsumeAsync(_queue, 1, async (message, _) =>
        {
            await attempts.Writer.WriteAsync((message, clock.ElapsedMilliseconds));
            throw new InvalidOperationException("the handler cannot do this");
        }, CancellationToken.None))
        {
            var (subscription, dead) = await CollectAsync(DeadLetters.QueueOf(_queue));
            await using var _ = subscription;
            var deadLetter = await WithinPatience(dead.ReadAsync());

            var seen = new List<(Message Message, long At)>();
            while (attempts.Reader.TryRead(out var attempt)) seen.Add(attempt);
            Assert.Equal([1, 2, 3], seen.Select(s => s.Message.Attempt));
            Assert.All(seen, s => Assert.Equal(seen[0].Message.Id, s.Message.Id));
            // Never back before its backoff: 300 ms, then 600 ms (a few ms of clock granularity allowed).
            Assert.True(seen[1].At - seen[0].At >= Policy.DelayBefore(2).TotalMilliseconds - 5, $"second attempt after {seen[1].At - seen[0].At} ms");
            Assert.True(seen[2].At - seen[1].At >= Policy.DelayBefore(3).TotalMilliseconds - 5, $"third attempt after {seen[2].At - seen[1].At} ms");
            Assert.Equal("poison", Text(deadLetter));
            Assert.Equal(seen[0].Message.Id, deadLetter.Id);
            Assert.Equal("test", deadLetter.Headers["kind"]);
            Assert.Contains("the handler cannot do this", deadLetter.Headers[DeadLetters.ReasonHeader]);
        }
    }

    [Fact]
    public async Task A_retried_message_that_then_succeeds_is_not_dead_lettered()
    {
        await PublishAsync("flaky");
        var acked = new TaskCompletionSource<Message>();
        await using var subscription = await _bus.ConsumeAsync(_queue, 1, (message, _) =>
        {
            if (message.Attempt == 1) return Task.FromResult(MessageOutcome.Retry);
            acked.SetResult(message);
            return Task.FromResult(MessageOutcome.Ack);
        }, CancellationToken.None);

        var second = await acked.Task.WaitAsync(Patience);
        await PublishAsync("marker", queue: DeadLetters.QueueOf(_queue));
        var (deadSubscription, dead) = await CollectAsync(DeadLetters.QueueOf(_queue));
        await using var _ = deadSubscription;

        Assert.Equal(2, second.Attempt);
        Assert.Equal("marker", Text(await WithinPatience(dead.ReadAsync())));
    }

    [Fact]
    public async Task A_rejected_message_goes_straight_to_the_dead_letter_queue()
    {
        await PublishAsync("not json");
        var handled = 0;
        await using var subscription = await _bus.ConsumeAsync(_queue, 1, (_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.FromResult(MessageOutcome.Reject);
        }, CancellationToken.None);
        var (deadSubscription, dead) = await CollectAsync(DeadLetters.QueueOf(_queue));
        await using var _ = deadSubscription;

        var deadLetter = await WithinPatience(dead.ReadAsync());

        Assert.Equal("not json", Text(deadLetter));
        Assert.Equal(1, deadLetter.Attempt);
        Assert.Equal(1, handled);
        Assert.Contains("rejected", deadLetter.Headers[DeadLetters.ReasonHeader]);
    }

    [Fact]
    public async Task The_publishers_trace_context_is_the_consumers_parent()
    {
        using var source = new ActivitySource("Meridian.Messaging.Tests");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Meridian.Messaging.Tests" || s == MessageTracing.Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var handled = new TaskCompletionSource<(string? TraceId, string? ParentSpanId, string? TraceState, Message Message)>();
        await using var subscription = await _bus.ConsumeAsync(_queue, 1, (message, _) =>
        {
            var current = Activity.Current;
            handled.TrySetResult((current?.TraceId.ToString(), current?.ParentSpanId.ToString(), current?.TraceStateString, message));
            return Task.FromResult(MessageOutcome.Ack);
        }, CancellationToken.None);

        ActivityTraceId traceId;
        using (var request = source.StartActivity("request")!)
        {
            request.TraceStateString = "meridian=test";
            traceId = request.TraceId;
            await PublishAsync("traced");
        }
        var (consumerTrace, consumerParent, consumerState, delivered) = await handled.Task.WaitAsync(Patience);

        var publish = spans.Single(s => s.Source == MessageTracing.Source && s.Kind == ActivityKind.Producer && s.TraceId == traceId);
        Assert.Equal(traceId.ToString(), consumerTrace);
        Assert.Equal(publish.SpanId.ToString(), consumerParent);
        Assert.Equal("meridian=test", consumerState);
        Assert.StartsWith($"00-{traceId}-{publish.SpanId}-", delivered.Headers[MessageTracing.TraceParent]);
    }

    [Fact]
    public async Task Accepted_messages_survive_a_restart()
    {
        for (var i = 0; i < 5; i++) await PublishAsync(i.ToString());
        // One is in a consumer's hands, unsettled, when everything stops.
        var taken = new TaskCompletionSource();
        await _bus.ConsumeAsync(_queue, 1, async (_, ct) =>
        {
            taken.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return MessageOutcome.Ack;
        }, CancellationToken.None);
        await taken.Task.WaitAsync(Patience);

        await _bus.DisposeAsync();
        await RestartAsync();
        _bus = await OpenAsync();
        var (subscription, received) = await CollectAsync();
        await using var _ = subscription;

        var bodies = new List<string>();
        for (var i = 0; i < 5; i++) bodies.Add(Text(await WithinPatience(received.ReadAsync())));
        Assert.Equal(["0", "1", "2", "3", "4"], bodies.Order());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
