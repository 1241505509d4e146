using StackExchange.Redis;

namespace Meridian.Storage.Redis;

/// <summary>
/// Whether an exception out of a Redis command means that Redis did not serve it (a cache miss, a version that
/// cannot be confirmed), rather than a fault of the request's. Besides its own exceptions and timeouts,
/// StackExchange.Redis 2.x lets a connection torn down mid-command surface as a cancelled task, or as
/// "Reading is not allowed after reader was completed" from its pipe (its issue #2692, fixed by the 3.x rewrite):
/// outages all the same, unless it was the caller that cancelled. Only a Redis command may run in the blocks this
/// guards, so an <see cref="InvalidOperationException"/> there is the client's.
/// </summary>
internal static class RedisOutage
{
    public static bool Is(Exception exception, CancellationToken cancellation) => exception switch
    {
        RedisException or TimeoutException or InvalidOperationException => true,
        OperationCanceledException => !cancellation.IsCancellationRequested,
        _ => false,
    };
}
