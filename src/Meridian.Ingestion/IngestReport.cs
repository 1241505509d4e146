namespace Meridian.Ingestion;

/// <summary>A record that was not loaded, and why: nothing is dropped without an entry here.</summary>
public sealed record RejectedRecord(long Record, string Reason);

/// <summary>
/// Counts so far, for progress bars and job status. A load is one transaction (PostGIS: a COPY, into a staging table
/// when replacing; GeoPackage: inserts), so no record is loaded — visible to readers — before it commits at the end:
/// until then <paramref name="Staged"/> counts the records written into it and <paramref name="Loaded"/> is 0; once it
/// has committed, <paramref name="Loaded"/> counts them. Progress used to call the staged records "loaded", and showed
/// "loaded 0" all through the first pass of a load that goes through the spool.
/// </summary>
public readonly record struct IngestProgress(long Read, long Staged, long Loaded, long Rejected)
{
    /// <summary>"read 30,000, staged 20,000, rejected 3" while loading; "read 30,000, loaded 29,997, rejected 3" once committed.</summary>
    public string Describe() => Loaded > 0
        ? $"read {Read:N0}, loaded {Loaded:N0}, rejected {Rejected:N0}"
        : $"read {Read:N0}, staged {Staged:N0} (not yet committed), rejected {Rejected:N0}";
}

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

    /// <summary>Records written into the load's transaction so far (see <see cref="IngestProgress"/>); progress only.</summary>
    internal long Staged { get; set; }

    /// <summary>Invalid geometries loaded after repair (policy <c>repair</c>).</summary>
    public long Repaired { get; set; }

    public long Rejected => Rejections.Count;

    /// <summary>Every rejected record, in file order.</summary>
    public List<RejectedRecord> Rejections { get; } = [];

    /// <summary>What the ingest assumed or noticed that the user should know (a missing .prj, a layer chosen).</summary>
    public List<string> Warnings { get; } = [];

    public IngestProgress Progress => new(Read, Staged, Loaded, Rejected);
}

/// <summary>The file as a whole could not be ingested; nothing was written. The message says why.</summary>
public sealed class IngestException(string message, Exception? inner = null) : Exception(message, inner);
