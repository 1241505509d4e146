using Meridian.Storage.Redis;
using StackExchange.Redis;

namespace Meridian.Storage.Tests.Redis;

/// <summary>What counts as Redis not serving a command (<see cref="RedisOutage"/>), and what is the caller's own doing.</summary>
public sealed class RedisOutageKindsTests
{
    public static TheoryData<Exception> Outages() => new()
    {
        new RedisConnectionException(ConnectionFailureType.SocketClosed, "closed"),
        new RedisTimeoutException("timeout", CommandStatus.Sent),
        new TimeoutException(),
        // What StackExchange.Redis 2.x throws when a connection is torn down mid-command (its issue #2692).
        new InvalidOperationException("Reading is not allowed after reader was completed."),
        new TaskCanceledException(),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void ClientFailures_WhileTheCallerWaits_AreOutages(Exception exception) =>
        Assert.True(RedisOutage.Is(exception, CancellationToken.None));

    [Fact]
    public void ACancellationTheCallerAskedFor_IsNotAnOutage()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.False(RedisOutage.Is(new TaskCanceledException(), cancelled.Token));
        Assert.False(RedisOutage.Is(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InvalidCastException))]
    [InlineData(typeof(NullReferenceException))]
    public void OtherFaults_AreNotOutages(Type type) =>
        Assert.False(RedisOutage.Is((Exception)Activator.CreateInstance(type)!, CancellationToken.None));
}
