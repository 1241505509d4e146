using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Meridian.Ingestion.Streaming;

/// <summary>
/// Runs the production of a stream on its own task, a bounded number of items ahead of its consumer, so that
/// parsing a file and what follows (validation, the store's COPY) use two cores instead of taking turns on one.
/// </summary>
internal static class ReadAhead
{
    /// <summary>
    /// The items of <paramref name="source"/> in order, produced up to <paramref name="capacity"/> ahead. The
    /// producer's exception reaches the consumer as it was thrown; a consumer that stops (or fails) stops the producer.
    /// </summary>
    public static async IAsyncEnumerable<T> WithReadAhead<T>(this IAsyncEnumerable<T> source, int capacity,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token)) await channel.Writer.WriteAsync(item, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
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
                while (channel.Reader.TryRead(out var item)) yield return item;
            }
        }
        finally
        {
            // Also when the consumer stops early: the producer must not be left reading a file nobody wants.
            await stop.CancelAsync();
            await producer;
        }
    }
}
