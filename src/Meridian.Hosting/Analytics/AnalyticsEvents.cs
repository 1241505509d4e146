using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Meridian.Hosting.Configuration;
using Meridian.Hosting.Telemetry;

namespace Meridian.Hosting.Analytics;

/// <summary>
/// The intake of analytics events: a bounded buffer that every part of a process records into and one writer drains
/// (the analytics writer, which turns them into Parquet files). Recording never waits and never throws: when the
/// buffer is full (the writer is behind, or the object store is down) the event is dropped and counted in
/// <c>analytics_events_dropped_total</c>, so that a request never pays for analytics.
/// </summary>
public sealed class AnalyticsEvents
{
    public const string DroppedBufferFull = "buffer_full";
    public const string DroppedStoreOutage = "store_outage";

    private readonly Channel<AnalyticsEvent> _channel;
    private readonly Counter<long> _dropped;

    public AnalyticsEvents(MeridianOptions options, IMeterFactory meterFactory)
    {
        Enabled = options.Analytics.Enabled;
        // Wait mode makes TryWrite answer false when full, which is how a drop is seen; the Drop* modes drop silently.
        _channel = Channel.CreateBounded<AnalyticsEvent>(new BoundedChannelOptions(options.Analytics.MaxBufferedEvents)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = false,
        });
        // The factory owns the meter (the same one GeospatialMetrics uses) and disposes it.
        _dropped = meterFactory.Create(GeospatialMetrics.MeterName).CreateCounter<long>("analytics_events_dropped", description: "Analytics events dropped: buffer full, or held too long through an object store outage");
    }

    public bool Enabled { get; }

    /// <summary>What the writer reads.</summary>
    public ChannelReader<AnalyticsEvent> Reader => _channel.Reader;

    public void Record(in AnalyticsEvent analyticsEvent)
    {
        if (Enabled && !_channel.Writer.TryWrite(analyticsEvent)) Dropped(1, DroppedBufferFull);
    }

    /// <summary>Counts events lost for <paramref name="reason"/> (<see cref="DroppedBufferFull"/>, <see cref="DroppedStoreOutage"/>).</summary>
    public void Dropped(long count, string reason) => _dropped.Add(count, new TagList { { "reason", reason } });
}
