using System.ComponentModel.DataAnnotations;

namespace Meridian.Hosting.Configuration;

/// <summary>
/// The analytics events every process records (one per request, job and ingest) and writes to the object store as
/// Parquet files, and the <c>analytics</c> role's queries over them. On by default, so that a single process shows
/// its own usage from the start; <c>Enabled=false</c> records nothing and writes nothing.
/// </summary>
public sealed class AnalyticsOptions : IValidatableObject
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often a process writes what it recorded as one file per hour it covers (and on shutdown).</summary>
    [Range(1, 3600)]
    public int FlushSeconds { get; set; } = 60;

    /// <summary>A file is written as soon as this many events wait, whatever <see cref="FlushSeconds"/> says.</summary>
    [Range(100, 1_000_000)]
    public int MaxEventsPerFile { get; set; } = 100_000;

    /// <summary>
    /// Events held in memory at most while they wait to be written (and while the object store is unreachable):
    /// past it new events are dropped and counted (<c>analytics_events_dropped_total</c>), never waited for.
    /// </summary>
    [Range(1000, 10_000_000)]
    public int MaxBufferedEvents { get; set; } = 200_000;

    /// <summary>The longest interval one query may cover (its files are listed, fetched and read).</summary>
    [Range(1, 3660)]
    public int MaxQueryDays { get; set; } = 93;

    /// <summary>Where the analytics role keeps the files it fetched from S3 (or decrypted) for DuckDB; default DATA/analytics-cache.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>The cache's size at most; the files read longest ago go first.</summary>
    [Range(1L << 20, long.MaxValue)]
    public long CacheBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Days an event is kept: the hours that ended more than this many days ago are deleted from the lake. 0 keeps events
    /// for ever. Enforced by the processes that run the <c>analytics</c> role (<see cref="MaintenanceMinutes"/>) and by
    /// <c>meridian analytics prune</c>.
    /// </summary>
    [Range(0, 36_600)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>
    /// An hour is compacted into one file once it ended this many minutes ago: past the writers' last flush of it
    /// (<see cref="FlushSeconds"/>), so that few files arrive after.
    /// </summary>
    [Range(1, 1440)]
    public int CompactAfterMinutes { get; set; } = 30;

    /// <summary>How often a process running the <c>analytics</c> role compacts closed hours and deletes expired ones; 0 never (cron the CLI instead).</summary>
    [Range(0, 1440)]
    public int MaintenanceMinutes { get; set; } = 15;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBufferedEvents < MaxEventsPerFile)
            yield return new ValidationResult($"must be at least MaxEventsPerFile ({MaxEventsPerFile})", [nameof(MaxBufferedEvents)]);
        if (CompactAfterMinutes * 60 <= FlushSeconds)
            yield return new ValidationResult($"must be longer than FlushSeconds ({FlushSeconds} s): an hour is compacted once its last files are written", [nameof(CompactAfterMinutes)]);
    }
}
