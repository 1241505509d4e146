using System.Diagnostics.Metrics;
using Meridian.Analytics.Lake;
using Meridian.Hosting.Analytics;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Telemetry;
using Meridian.Storage.Objects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Meridian.Analytics.Writing;

/// <summary>
/// Drains the intake (<see cref="AnalyticsEvents"/>) and writes what it holds to the object store every
/// <c>Analytics:FlushSeconds</c>, as soon as <c>MaxEventsPerFile</c> events wait, and once more when the process stops:
/// one Parquet file per UTC hour the events fall in, under this process's own name (<see cref="LakeLayout"/>). While the
/// object store fails, events are kept and written later; past <c>MaxBufferedEvents</c> the oldest go (counted), and
/// the outage is logged once, when it starts, and once when it ends. Nothing here ever reaches a request.
/// </summary>
internal sealed partial class AnalyticsWriter : BackgroundService
{
    /// <summary>What the last write at shutdown may take: within the host's 30 s, after the server stopped taking requests.</summary>
    private static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(15);

    private readonly AnalyticsEvents _events;
    private readonly IObjectStore _store;
    private readonly AnalyticsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AnalyticsWriter> _logger;
    private readonly Counter<long> _written;
    private readonly string _role;
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly List<AnalyticsEvent> _pending = [];
    private DateTimeOffset? _outageSince;

    public AnalyticsWriter(AnalyticsEvents events, IObjectStore store, MeridianOptions options, IMeterFactory meterFactory, TimeProvider time,
        ILogger<AnalyticsWriter> logger)
    {
        _events = events;
        _store = store;
        _options = options.Analytics;
        _time = time;
        _logger = logger;
        _written = meterFactory.Create(GeospatialMetrics.MeterName).CreateCounter<long>("analytics_events_written", description: "Analytics events written to the object store");
        _role = RoleName(options.Roles);
    }

    /// <summary>This process's name in file names and in the <c>instance</c> column.</summary>
    public string Instance { get; init; } = LakeLayout.ThisProcess;

    /// <summary>Events waiting to be written (for tests and the outage path).</summary>
    public int Pending
    {
        get
        {
            lock (_pending) return _pending.Count;
        }
    }

    /// <summary>
    /// Writes every event recorded so far; returns how many were written. On an object store failure the rest stay
    /// pending (and the failure is logged once per outage): it never throws but for cancellation.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var written = 0;
            while (TakeBatch() is { Count: > 0 } batch)
            {
                var done = await WriteAsync(batch, cancellationToken);
                written += done;
                if (done < batch.Count) break; // the store failed: try again at the next flush
            }
            return written;
        }
        finally
        {
            _flushing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(_options.FlushSeconds);
        var poll = interval < TimeSpan.FromSeconds(1) ? interval : TimeSpan.FromSeconds(1);
        var lastFlush = _time.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(poll, _time, stoppingToken);
                if (Drain() < _options.MaxEventsPerFile && _time.GetElapsedTime(lastFlush) < interval) continue;
                await FlushAsync(stoppingToken);
                lastFlush = _time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Ends the loop, then writes what is left. Here rather than at the end of the loop: the loop may never have run (a
    /// stop right after the start), and the server has stopped taking requests by now (it stops before hosted services),
    /// so nothing is recorded after this last write.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        shutdown.CancelAfter(ShutdownFlush);
        try
        {
            await FlushAsync(shutdown.Token);
        }
        catch (OperationCanceledException)
        {
        }
        if (Pending is > 0 and var lost)
        {
            _events.Dropped(lost, AnalyticsEvents.DroppedStoreOutage);
            LogLostAtShutdown(lost);
        }
    }

    /// <summary>Moves what the intake holds to the pending list; returns the pending count.</summary>
    private int Drain()
    {
        lock (_pending)
        {
            while (_events.Reader.TryRead(out var analyticsEvent)) _pending.Add(analyticsEvent);
            return _pending.Count;
        }
    }

    /// <summary>
    /// The oldest events, at most a file's worth; they stay pending until written. Past the cap the oldest are dropped
    /// first; here, under the flush lock, since a write in progress relies on its batch being the head of the list.
    /// </summary>
    private List<AnalyticsEvent> TakeBatch()
    {
        Drain();
        lock (_pending)
        {
            var excess = _pending.Count - _options.MaxBufferedEvents;
            if (excess > 0)
            {
                _pending.RemoveRange(0, excess);
                _events.Dropped(excess, AnalyticsEvents.DroppedStoreOutage);
            }
            return _pending.GetRange(0, Math.Min(_pending.Count, _options.MaxEventsPerFile));
        }
    }

    /// <summary>Writes a batch as one file per hour; returns how many of its events were written (and removed from pending).</summary>
    private async Task<int> WriteAsync(List<AnalyticsEvent> batch, CancellationToken cancellationToken)
    {
        var written = new HashSet<DateTime>();
        try
        {
            foreach (var hour in batch.GroupBy(e => LakeLayout.HourStart(e.Time)))
            {
                await WriteFileAsync(hour.Key, hour.ToList(), cancellationToken);
                written.Add(hour.Key);
            }
            if (_outageSince is { } since)
            {
                _outageSince = null;
                LogRecovered(since);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (_outageSince is null)
            {
                _outageSince = _time.GetUtcNow();
                LogOutage(e, _store.Name);
            }
        }
        lock (_pending)
        {
            // The batch is the head of the pending list: only the flush, under its lock, removes.
            var kept = batch.Where(e => !written.Contains(LakeLayout.HourStart(e.Time))).ToList();
            _pending.RemoveRange(0, batch.Count);
            _pending.InsertRange(0, kept);
            var count = batch.Count - kept.Count;
            _written.Add(count);
            return count;
        }
    }

    private async Task WriteFileAsync(DateTime hour, List<AnalyticsEvent> events, CancellationToken cancellationToken)
    {
        // Parquet's footer is written after the data, at a position the writer seeks back to: a seekable buffer first.
        using var file = new MemoryStream();
        await EventFile.WriteAsync(events, _role, Instance, file, cancellationToken);
        file.Position = 0;
        await _store.PutAsync(LakeLayout.NewFileKey(hour, Instance), file, cancellationToken);
    }

    /// <summary>The roles as one value: "all", or the names sorted ("features,tiles").</summary>
    internal static string RoleName(IEnumerable<string> roles)
    {
        var names = roles.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(r => r.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 || names.Contains("all") ? "all" : string.Join(',', names);
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics events cannot be written to {Store}; they are kept in memory (up to Analytics:MaxBufferedEvents) and written when it answers again")]
    private partial void LogOutage(Exception exception, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics events are written again (the object store failed from {Since})")]
    private partial void LogRecovered(DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} analytics events could not be written before the process stopped and are lost")]
    private partial void LogLostAtShutdown(int count);
}
