namespace Meridian.Ingestion;

/// <summary>A record that was not loaded, and why: nothing is dropped without an entry here.</summary>
public sealed record RejectedRecord(long Record, string Reason);

/// <summary>Counts so far, for progress bars and job status.</summary>
public readonly record struct IngestProgress(long Read, long Loaded, long Rejected);

/// <summary>What an ingest did: what it read, loaded, repaired and rejected, and what it assumed.</summary>
public sealed class IngestReport
{
    public required string Format { get; init; }

    public required string Layer { get; init; }

    public required string Collection { get; init; }

    /// <summary>The CRS the coordinates were read in, e.g. "EPSG:3857"; "CRS84" when none was declared or given.</summary>
    public required string SourceCrs { get; init; }

    public long Read { get; set; }

    public long Loaded { get; set; }

    /// <summary>Invalid geometries loaded after repair (policy <c>repair</c>).</summary>
    public long Repaired { get; set; }

    public long Rejected => Rejections.Count;

    /// <summary>Every rejected record, in file order.</summary>
    public List<RejectedRecord> Rejections { get; } = [];

    /// <summary>What the ingest assumed or noticed that the user should know (a missing .prj, a layer chosen).</summary>
    public List<string> Warnings { get; } = [];

    public IngestProgress Progress => new(Read, Loaded, Rejected);
}

/// <summary>The file as a whole could not be ingested; nothing was written. The message says why.</summary>
public sealed class IngestException(string message, Exception? inner = null) : Exception(message, inner);
