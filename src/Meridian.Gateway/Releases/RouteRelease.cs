using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.Releases;

/// <summary>
/// One route's release as this gateway holds it: the last state read from the store, the spread of requests
/// between its groups, and the metrics of the current step.
/// </summary>
internal sealed class RouteRelease(string route, string stable, ReleaseOptions options, DateTimeOffset now, Action suspicious)
{
    private ReleaseState _state = ReleaseState.Start(stable, options, now);
    private StepMetrics _metrics = new(0);
    private long _requests;

    public string Route { get; } = route;

    public string Stable { get; } = stable;

    public ReleaseOptions Options { get; } = options;

    public ReleaseState State => Volatile.Read(ref _state);

    public StepMetrics Metrics => Volatile.Read(ref _metrics);

    /// <summary>
    /// Whether the next request goes to the candidate. Deterministic rather than random: of any 100 consecutive
    /// requests exactly the candidate's percentage go to it, so small samples are judged on the intended share.
    /// </summary>
    public bool PickCandidate(ReleaseState state)
    {
        var n = Interlocked.Increment(ref _requests);
        return n * state.CandidatePercent / 100 != (n - 1) * state.CandidatePercent / 100;
    }

    /// <summary>Counts an answer in the step it was routed in (answers finishing after a step change are dropped).</summary>
    public void Record(int step, bool candidate, bool failed, TimeSpan elapsed)
    {
        var metrics = Metrics;
        if (metrics.Step != step) return;
        (candidate ? metrics.Candidate : metrics.Stable).Record(failed, elapsed);
        // A failing or slow canary answer may mean a rollback is due: the analysis runs now, not at its next tick.
        if (candidate && (failed || elapsed >= Options.MaxP95Latency)) suspicious();
    }

    /// <summary>Takes a state read from (or written to) the store; a new step starts new metrics.</summary>
    public void Apply(ReleaseState state)
    {
        Volatile.Write(ref _state, state);
        if (Metrics.Step != state.Step) Volatile.Write(ref _metrics, new StepMetrics(state.Step));
    }
}
