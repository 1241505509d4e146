using Meridian.Cli;

namespace Meridian.Tests.Cli;

public sealed class RemoteServerTests
{
    [Fact]
    public void PollDelay_StartsShortAndGrowsToHalfASecond()
    {
        var delays = Enumerable.Range(0, 40).Select(RemoteServer.PollDelay).Append(RemoteServer.PollDelay(int.MaxValue)).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(100), delays[0]);
        Assert.True(delays.Zip(delays.Skip(1)).All(p => p.First <= p.Second), "the pauses never shrink");
        Assert.Equal(TimeSpan.FromMilliseconds(500), delays[^1]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), delays.Max());
    }
}
