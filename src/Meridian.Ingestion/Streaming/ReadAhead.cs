using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Meridian.Ingestion.Streaming;

/// <summary>
/// Runs the production of a stream on its own task, a bounded number of items ahead of its consumer, so that
/// parsing a file and what follows (validation, the store's COPY) use two cores instead of taking turns on one.
/// Items cross between the two in batches: handing them over one by one cost more than the work on either side
/// for small records (a point) — a wake-up, a context switch and the channel's synchronisation per item.
/// </summary>
internal static class ReadAhead
{
    /// <summary>
    /// The items of <paramref name="source"/> in order, produced up to <paramref name="capacity"/> ahead and handed
    /// over in batches of half that. The items produced before a failure reach the consumer, then the producer's
    /// exception as it was thrown; a consumer that stops (or fails) stops the producer.
    /// </summary>
    public static async IAsyncEnumerable<T> WithReadAhead<T>(this IAsyncEnumerable<T> source, int capacity,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        var batchSize = capacity / 2;
        // One batch waiting in the channel and one being filled: at most `capacity` items ahead of the consumer.
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            var batch = new List<T>(batchSize);
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token))
                {
                    batch.Add(item);
                    if (batch.Count < batchSize) continue;
                    await channel.Writer.WriteAsync(batch, stop.Token);
                    batch = new List<T>(batchSize);
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync(batch, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                await HandOverAsync(channel.Writer, batch, stop.Token);
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await channel.Reader.WaitToReadAsync(cancellationToken);
                }
                catch (ChannelClosedException e) when (e.InnerException is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                    throw;
                }
                if (!more) yield break;
                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var item in batch) yield return item;
                }
            }
        }
        finally
        {
            // Also when the consumer stops early: the producer must not be left reading a file nobody wants.
            await stop.CancelAsync();
            await producer;
        }
    }

    /// <summary>The items read before a failure, unless the consumer has gone (then nobody wants them).</summary>
    private static async Task HandOverAsync<T>(ChannelWriter<List<T>> writer, List<T> batch, CancellationToken stop)
    {
        if (batch.Count == 0) return;
        try
        {
            await writer.WriteAsync(batch, stop);
        }
        catch (OperationCanceledException)
        {
            // The consumer stopped: it reads nothing more.
        }
    }
}
