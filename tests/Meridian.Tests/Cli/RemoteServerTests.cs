using Meridian.Cli;

namespace Meridian.Tests.Cli;

public sealed class RemoteServerTests
{
    [Fact]
    public void PollDelay_IsATenthOfASecondForTenSecondsThenHalfASecond()
    {
        var delays = Enumerable.Range(0, 200).Select(RemoteServer.PollDelay).Append(RemoteServer.PollDelay(int.MaxValue)).ToList();

        Assert.All(delays.Take(100), d => Assert.Equal(TimeSpan.FromMilliseconds(100), d));
        Assert.All(delays.Skip(100), d => Assert.Equal(TimeSpan.FromMilliseconds(500), d));
        Assert.Equal(TimeSpan.FromSeconds(10), TimeSpan.FromTicks(delays.Take(100).Sum(d => d.Ticks)));
    }
}
