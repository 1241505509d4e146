using System.Runtime.CompilerServices;
using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Streaming;

namespace Meridian.Ingestion.Tests.Streaming;

public sealed class ReadAheadTests
{
    private static async IAsyncEnumerable<int> Numbers(int count, int? failAt = null, Action? finished = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 1; i <= count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i == failAt) throw new SourceFormatException($"bad record {i}");
                await Task.Yield();
                yield return i;
            }
        }
        finally
        {
            finished?.Invoke();
        }
    }

    [Fact]
    public async Task Yields_every_item_in_order()
    {
        var items = new List<int>();

        await foreach (var i in Numbers(1000).WithReadAhead(8)) items.Add(i);

        Assert.Equal(Enumerable.Range(1, 1000), items);
    }

    [Fact]
    public async Task The_producers_exception_reaches_the_consumer_as_thrown_after_the_items_before_it()
    {
        var items = new List<int>();

        var error = await Assert.ThrowsAsync<SourceFormatException>(async () =>
        {
            await foreach (var i in Numbers(100, failAt: 50).WithReadAhead(8)) items.Add(i);
        });

        Assert.Equal("bad record 50", error.Message);
        Assert.Equal(Enumerable.Range(1, 49), items);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task The_items_of_a_batch_cut_short_by_a_failure_still_come_first(int failAt)
    {
        var items = new List<int>();

        // Batches of 4: the failure comes inside the first, at its end, and one item into the second.
        await Assert.ThrowsAsync<SourceFormatException>(async () =>
        {
            await foreach (var i in Numbers(100, failAt: failAt).WithReadAhead(8)) items.Add(i);
        });

        Assert.Equal(Enumerable.Range(1, failAt - 1), items);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_stops_the_producer()
    {
        var finished = new TaskCompletionSource();

        await foreach (var i in Numbers(int.MaxValue, finished: () => finished.TrySetResult()).WithReadAhead(8))
        {
            if (i == 10) break;
        }

        Assert.True(finished.Task.IsCompleted);
    }

    [Fact]
    public async Task Cancellation_stops_both_sides()
    {
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var i in Numbers(int.MaxValue).WithReadAhead(8, cancel.Token))
            {
                if (i == 10) await cancel.CancelAsync();
            }
        });
    }
}
