using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Meridian.Analytics.Tests;

/// <summary>A meter factory of its own, and what its analytics_events_dropped counter counted, by reason.</summary>
internal sealed class DroppedEvents : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();

    public DroppedEvents()
    {
        Factory = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "analytics_events_dropped" && instrument.Meter.Scope == Factory) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "reason") ByReason.AddOrUpdate((string)tag.Value!, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public IMeterFactory Factory { get; }

    public ConcurrentDictionary<string, long> ByReason { get; } = new();

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
