using System.Net;

namespace Meridian.Hosting.Analytics;

/// <summary>What an analytics event records: an HTTP request served, a job run by a worker, or an ingest.</summary>
public enum AnalyticsEventKind
{
    Request,
    Job,
    Ingest,
}

/// <summary>
/// One analytics event, one row of the data lake. A struct: the intake holds it in its buffer without an allocation per
/// request. Values that cost something to format (the client's network) stay raw here and are formatted by the writer, off
/// the request. Nothing secret is ever in it: an API key appears by its public id, a client by its network only.
/// </summary>
public readonly record struct AnalyticsEvent
{
    public AnalyticsEventKind Kind { get; init; }

    /// <summary>When it ended, UTC.</summary>
    public DateTime Time { get; init; }

    /// <summary>Requests: the standard method, else OTHER.</summary>
    public string? Method { get; init; }

    /// <summary>Requests: the route template ("/collections/{collectionId}/items"), never the raw path, so values stay few.</summary>
    public string? Route { get; init; }

    /// <summary>The collection a request named (route value collectionId) or an ingest loaded.</summary>
    public string? Collection { get; init; }

    /// <summary>The OGC process a request named (route value processId) or a job ran; "ingest" for ingest jobs.</summary>
    public string? ProcessId { get; init; }

    public string? JobId { get; init; }

    /// <summary>Requests: the HTTP status.</summary>
    public int? Status { get; init; }

    /// <summary>Jobs and ingests: successful, failed or dismissed.</summary>
    public string? Outcome { get; init; }

    public double DurationMs { get; init; }

    /// <summary>Requests: the response's declared length (null when it streamed without one); ingests: the file's size.</summary>
    public long? Bytes { get; init; }

    /// <summary>The caller's tenant (requests) or the job's owner.</summary>
    public string? Tenant { get; init; }

    /// <summary>The public id of the API key that authenticated the request; never the key.</summary>
    public string? KeyId { get; init; }

    /// <summary>The client's address as seen after trusted proxies; written truncated to its network (/24, /48).</summary>
    public IPAddress? Client { get; init; }

    /// <summary>Ingests: the format read (geojson, csv…).</summary>
    public string? Format { get; init; }

    public long? FeaturesRead { get; init; }

    public long? FeaturesLoaded { get; init; }

    public long? FeaturesRejected { get; init; }
}
