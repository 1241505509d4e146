using Meridian.Ingestion.Formats;
using Meridian.Ingestion.Validation;

namespace Meridian.Ingestion;

/// <summary>How a load meets an existing collection.</summary>
public enum IngestMode
{
    /// <summary>Make a new collection; fail if it exists.</summary>
    Create,

    /// <summary>Add to the collection, making it when missing; the file's properties must fit its schema.</summary>
    Append,

    /// <summary>
    /// Replace the collection's features and schema with the file's, making it when missing. The load goes to a
    /// staging table, swapped in only when complete: readers see the old contents until then.
    /// </summary>
    Replace,
}

/// <summary>What to ingest where, and how.</summary>
public sealed record IngestRequest(string Collection)
{
    public IngestMode Mode { get; init; } = IngestMode.Create;

    /// <summary>The layer to load from a file of several (GeoPackage tables, GPX waypoints/routes/tracks).</summary>
    public string? Layer { get; init; }

    /// <summary>The CRS of the coordinates, overriding what the file declares (e.g. a Shapefile without .prj).</summary>
    public SourceCrs? Crs { get; init; }

    public ValidationOptions Validation { get; init; } = new();

    public SourceOptions Source { get; init; } = new();

    /// <summary>
    /// Where the accepted records wait between validation and the load (a temporary file, about the size of their
    /// geometries and values, deleted when the ingest ends); the system's temporary directory when null.
    /// </summary>
    public string? SpoolDirectory { get; init; }
}
