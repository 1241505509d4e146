using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.RateLimiting;

/// <summary>The outcome of taking one request from a counter: allowed or not, what is left, and when it refills.</summary>
internal readonly record struct RateLimitDecision(bool Allowed, long Remaining, TimeSpan Reset, TimeSpan RetryAfter);

/// <summary>
/// The rate-limit counter port: in memory (one process) or in Redis (shared by every gateway replica). Both
/// count the same way: a fixed window from its first request, or a token bucket refilling evenly.
/// </summary>
internal interface IRateLimitCounters
{
    ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken);
}
