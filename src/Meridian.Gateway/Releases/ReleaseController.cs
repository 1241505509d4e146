using Meridian.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Gateway.Releases;

/// <summary>
/// Runs the releases of the gateway's routes: keeps each route's state in step with the store (polling, and at
/// once when the store announces a change), analyses canaries from this gateway's own metrics (a canary is
/// rolled back as soon as its error rate or p95 latency is over the limit; stepped up after each healthy
/// interval; promoted after a healthy interval at MaxPercent), and applies the administrators' decisions.
/// Replicas agree through compare-and-set on the store: the first to decide a step takes it for all.
/// </summary>
internal sealed partial class ReleaseController : BackgroundService
{
    private readonly IReleaseStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ReleaseController> _logger;
    private readonly Dictionary<string, RouteRelease> _releases;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly TimeSpan _tick;
    private int _wakePending;

    public ReleaseController(MeridianOptions options, IReleaseStore store, TimeProvider time, ILogger<ReleaseController> logger)
    {
        (_store, _time, _logger) = (store, time, logger);
        _releases = options.Gateway.Routes.Where(r => r.Value.Release is not null)
            .ToDictionary(r => r.Key, r => new RouteRelease(r.Key, r.Value.Cluster, r.Value.Release!, time.GetUtcNow(), Wake), StringComparer.OrdinalIgnoreCase);
        // Often enough to notice another replica's change and an interval's end promptly, rarely enough to be cheap.
        var shortest = _releases.Count == 0 ? TimeSpan.FromSeconds(1) : _releases.Values.Min(r => r.Options.Interval) / 4;
        _tick = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds, 50, 1000));
    }

    public string StoreKind => _store.Kind;

    public IEnumerable<RouteRelease> Releases => _releases.Values;

    public RouteRelease? For(string route) => _releases.GetValueOrDefault(route);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_releases.Count == 0) return;
        _store.Subscribe(_ => Wake());
        // Serve from the shared state from the first request on; a store that does not answer yet leaves the
        // configured start and is read again at the next tick.
        await RefreshAllAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_tick, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Volatile.Write(ref _wakePending, 0);
            await RefreshAllAsync();
        }
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0) _wake.Release();
    }

    private async Task RefreshAllAsync()
    {
        foreach (var release in _releases.Values)
        {
            try
            {
                var state = await ChangeAsync(release, _ => null);
                await AnalyseAsync(release, state);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                LogStoreUnavailable(_logger, e, release.Route);
            }
        }
    }

    private async Task AnalyseAsync(RouteRelease release, ReleaseState state)
    {
        var options = release.Options;
        if (state.Kind != ReleaseKind.Canary || state.Phase != ReleasePhase.Progressing || release.Metrics.Step != state.Step) return;
        var canary = release.Metrics.Candidate.Snapshot();
        if (canary.Requests < options.MinRequests) return;

        var now = _time.GetUtcNow();
        string? unhealthy = canary.ErrorRate >= options.MaxErrorRate
            ? $"error rate {canary.ErrorRate:P1} is not under {options.MaxErrorRate:P1}"
            : canary.P95Ms >= options.MaxP95Latency.TotalMilliseconds
                ? $"p95 latency {canary.P95Ms} ms is not under {options.MaxP95Latency.TotalMilliseconds} ms"
                : null;
        if (unhealthy is not null)
        {
            var reason = $"rolled back automatically at {state.CandidatePercent}% after {canary.Requests} canary requests: {unhealthy}";
            var after = await ChangeAsync(release, s => s.Step == state.Step ? s.With(ReleasePhase.RolledBack, 0, now, reason) : null);
            if (after.Phase == ReleasePhase.RolledBack && after.Step == state.Step + 1) LogRolledBack(_logger, release.Route, reason);
            return;
        }
        if (now - state.Since < options.Interval) return;
        var next = await ChangeAsync(release, s => s.Step != state.Step ? null
            : s.CandidatePercent >= options.MaxPercent
                ? s.With(ReleasePhase.Promoted, 100, now, $"promoted automatically: healthy at every step up to {options.MaxPercent}%")
                : s.With(ReleasePhase.Progressing, Math.Min(s.CandidatePercent + options.StepPercent, options.MaxPercent), now, null));
        if (next.Step == state.Step + 1) LogStepped(_logger, release.Route, next.Phase, next.CandidatePercent);
    }

    /// <summary>
    /// Reads the stored state (starting the configured release when none, or a past release's, is stored), applies
    /// change (null: nothing to change) and stores the result by compare-and-set, so that it holds for every replica.
    /// </summary>
    public async Task<ReleaseState> ChangeAsync(RouteRelease release, Func<ReleaseState, ReleaseState?> change)
    {
        while (true)
        {
            var stored = await _store.GetAsync(release.Route);
            var current = ReleaseState.Deserialize(stored) is { } state && state.Matches(release.Stable, release.Options)
                ? state
                : null;
            var basis = current ?? ReleaseState.Start(release.Stable, release.Options, _time.GetUtcNow());
            var next = change(basis);
            if (next is null && current is not null)
            {
                release.Apply(current);
                return current;
            }
            next ??= basis;
            if (await _store.CompareAndSetAsync(release.Route, stored, next.Serialize()))
            {
                release.Apply(next);
                return next;
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release of route {Route}: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string route, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Release of route {Route}: {Phase} at {Percent}%")]
    private static partial void LogStepped(ILogger logger, string route, ReleasePhase phase, int percent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release of route {Route}: the release store did not answer; keeping the last known state")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception e, string route);
}
