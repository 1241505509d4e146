namespace Meridian.Ingestion.Formats;

/// <summary>
/// A file format Meridian ingests (GeoJSON, CSV, zipped Shapefile, GeoPackage…). A format recognises its
/// files by content first and name second, and opens them as one or more layers of features.
/// </summary>
public interface IFeatureFormat
{
    /// <summary>The short name users pass to force a format and reports show, e.g. "csv".</summary>
    string Name { get; }

    /// <summary>
    /// Whether this looks like one of the format's files, from its name and its first bytes (up to 4 KiB;
    /// fewer when the file is shorter). A format must not claim a file by name alone when its bytes say otherwise.
    /// </summary>
    bool Recognizes(string fileName, ReadOnlySpan<byte> head);

    /// <summary>
    /// Opens the file's layers. Fails with <see cref="SourceFormatException"/> when the file as a whole is
    /// unreadable (truncated archive, missing parts, not this format); a bad record is not such a failure: the
    /// layer yields it with <see cref="SourceFeature.Error"/> set, so it is reported with its record number.
    /// </summary>
    Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken);
}
