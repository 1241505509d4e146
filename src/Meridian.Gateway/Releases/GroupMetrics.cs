namespace Meridian.Gateway.Releases;

/// <summary>
/// One group's answers (stable or candidate) in the current step of a release, as this gateway saw them:
/// requests, failures (5xx or no answer) and latencies for the 95th percentile.
/// </summary>
internal sealed class GroupMetrics
{
    // Enough samples for a steady p95; past it requests and failures are still counted.
    private const int MaxSamples = 10_000;
    private readonly List<double> _latenciesMs = [];
    private long _requests;
    private long _failures;

    public void Record(bool failed, TimeSpan elapsed)
    {
        lock (_latenciesMs)
        {
            _requests++;
            if (failed) _failures++;
            if (_latenciesMs.Count < MaxSamples) _latenciesMs.Add(elapsed.TotalMilliseconds);
        }
    }

    public GroupSnapshot Snapshot()
    {
        double[] sorted;
        long requests, failures;
        lock (_latenciesMs)
        {
            sorted = [.. _latenciesMs];
            (requests, failures) = (_requests, _failures);
        }
        Array.Sort(sorted);
        var p95 = sorted.Length == 0 ? 0 : sorted[(int)Math.Ceiling(sorted.Length * 0.95) - 1];
        return new GroupSnapshot(requests, requests == 0 ? 0 : (double)failures / requests, Math.Round(p95, 1));
    }
}

/// <summary>What the status answers show of a group, and what the canary analysis judges.</summary>
internal sealed record GroupSnapshot(long Requests, double ErrorRate, double P95Ms)
{
    public static readonly GroupSnapshot Empty = new(0, 0, 0);
}

/// <summary>Both groups of one step of a release.</summary>
internal sealed class StepMetrics(int step)
{
    public int Step { get; } = step;

    public GroupMetrics Stable { get; } = new();

    public GroupMetrics Candidate { get; } = new();
}
