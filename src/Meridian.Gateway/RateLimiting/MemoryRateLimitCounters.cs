using System.Collections.Concurrent;
using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.RateLimiting;

/// <summary>The embedded adapter: counters in this process; idle ones are swept every few thousand requests.</summary>
internal sealed class MemoryRateLimitCounters(TimeProvider time) : IRateLimitCounters
{
    private const int SweepEvery = 4096;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private int _sinceSweep;

    public ValueTask<RateLimitDecision> AcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Interlocked.Increment(ref _sinceSweep) % SweepEvery == 0) Sweep(now);
        var counter = _counters.GetOrAdd(key, static (_, state) => new Counter(state.rule, state.now), (rule, now));
        lock (counter)
        {
            return ValueTask.FromResult(counter.Take(rule, now));
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
        {
            if (now - counter.LastSeen > counter.Window) _counters.TryRemove(key, out _);
        }
    }

    private sealed class Counter(RateLimitRule rule, DateTimeOffset now)
    {
        private DateTimeOffset _start = now;
        private long _count;
        private double _tokens = rule.Limit;

        public DateTimeOffset LastSeen { get; private set; } = now;

        public TimeSpan Window { get; } = rule.Window;

        public RateLimitDecision Take(RateLimitRule rule, DateTimeOffset now)
        {
            var elapsed = now - LastSeen;
            LastSeen = now;
            if (rule.Algorithm == RateLimitAlgorithm.TokenBucket)
            {
                (var decision, _tokens) = TokenBucket.Take(_tokens, elapsed.TotalMilliseconds, rule.Limit, rule.Window.TotalMilliseconds);
                return decision;
            }
            if (now - _start >= rule.Window)
            {
                _start = now;
                _count = 0;
            }
            _count++;
            var reset = _start + rule.Window - now;
            var allowed = _count <= rule.Limit;
            return new RateLimitDecision(allowed, Math.Max(0, rule.Limit - _count), reset, allowed ? TimeSpan.Zero : reset);
        }
    }
}
