using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Meridian.Hosting.Telemetry;

/// <summary>
/// Meridian's own instruments. Names follow the Prometheus exposition the dashboards expect:
/// the exporter adds "_total" to counters and the unit suffix to the histogram.
/// </summary>
public sealed class GeospatialMetrics : IDisposable
{
    public const string MeterName = "Meridian";
    public static readonly ActivitySource ActivitySource = new("Meridian");

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _spatialQueries;
    private readonly Counter<long> _jobsFinished;
    private readonly Histogram<double> _jobDuration;

    public GeospatialMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("geospatial_requests", description: "HTTP requests by method, endpoint and status");
        _duration = _meter.CreateHistogram<double>("geospatial_request_duration", unit: "s", description: "HTTP request duration",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _connections = _meter.CreateUpDownCounter<long>("geospatial_active_connections", description: "Open client connections");
        _spatialQueries = _meter.CreateCounter<long>("geospatial_spatial_queries", description: "Feature-store queries by operation");
        _jobsFinished = _meter.CreateCounter<long>("geospatial_jobs_finished", description: "Jobs that ended (run by a worker, or dismissed before), by process and final status");
        _jobDuration = _meter.CreateHistogram<double>("geospatial_job_duration", unit: "s", description: "How long a worker ran a job, by process and final status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800] });
    }

    public void RecordRequest(string method, string endpoint, int status, double seconds)
    {
        var tags = new TagList { { "method", method }, { "endpoint", endpoint }, { "status", Boxed(status) } };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    /// <summary>Status codes boxed once: a tag value is an object, and boxing one per request is garbage per request.</summary>
    private static readonly object[] BoxedStatuses = Enumerable.Range(0, 600).Select(object (code) => code).ToArray();

    private static object Boxed(int status) => (uint)status < BoxedStatuses.Length ? BoxedStatuses[status] : status;

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    /// <summary>Counts one store query; operation is e.g. "items", "bbox", "item", "count", "extent".</summary>
    public void SpatialQuery(string operation) => _spatialQueries.Add(1, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>
    /// Counts one job a worker ran to an end. <paramref name="process"/> is the job's type (a process id of the registry,
    /// "ingest", "workflow"): bounded, unlike job ids, which never become labels. <paramref name="status"/> is
    /// successful, failed or dismissed. <paramref name="seconds"/> is how long it ran; null for a job dismissed before any
    /// worker started it, which is counted but has no run to time.
    /// </summary>
    public void JobFinished(string process, string status, double? seconds)
    {
        var tags = new TagList { { "process", process }, { "status", status } };
        _jobsFinished.Add(1, tags);
        if (seconds is { } ran) _jobDuration.Record(ran, tags);
    }

    public void Dispose() => _meter.Dispose();
}
