namespace Meridian.Ingestion.Formats;

/// <summary>An opened file: its layers, and whatever must be cleaned up afterwards (an unpacked archive).</summary>
public sealed class SourceFile(IReadOnlyList<SourceLayer> layers, IAsyncDisposable? resources = null) : IAsyncDisposable
{
    public IReadOnlyList<SourceLayer> Layers { get; } = layers;

    public ValueTask DisposeAsync() => resources?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// One layer of a source file. <see cref="ReadAsync"/> may be called more than once (ingestion reads twice:
/// once to infer the schema, once to load) and must yield the same records in the same order each time.
/// </summary>
/// <param name="Name">The layer's name in the file (a GeoPackage table, a GPX "waypoints"), or the file's base name.</param>
/// <param name="Crs">The CRS the file declares for its coordinates, or null when it declares none.</param>
/// <param name="ReadAsync">Streams the layer's records, numbered from 1 in file order.</param>
public sealed record SourceLayer(string Name, SourceCrs? Crs, Func<CancellationToken, IAsyncEnumerable<SourceFeature>> ReadAsync);

/// <summary>A CRS as a file declares it: an EPSG code (GeoJSON's legacy 'crs', GeoPackage srs) or WKT (a .prj file).</summary>
public sealed record SourceCrs(int? Epsg, string? Wkt)
{
    public static SourceCrs FromEpsg(int code) => new(code, null);

    public static SourceCrs FromWkt(string wkt) => new(null, wkt);

    public override string ToString() => Epsg is { } code ? $"EPSG:{code}" : "WKT definition";
}

/// <summary>What the user told us about the file, for formats that cannot tell by themselves.</summary>
public sealed record SourceOptions
{
    /// <summary>CSV: the geometry column holding WKT; null means detect (WKT, wkt, geometry, geom, the_geom).</summary>
    public string? WktColumn { get; init; }

    /// <summary>CSV: longitude and latitude (or x and y) columns; null means detect (lon/lat, longitude/latitude, x/y).</summary>
    public string? XColumn { get; init; }

    public string? YColumn { get; init; }

    /// <summary>CSV: the delimiter; null means detect from the header line (',', ';', tab or '|').</summary>
    public char? Delimiter { get; init; }

    /// <summary>Archives (zipped Shapefiles): limits against zip bombs.</summary>
    public long MaxUnpackedBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Unpacked size over packed size above which an archive is refused as a zip bomb.</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Where archives are unpacked; null means the system temp folder.</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>A file that cannot be read at all; the message says what is wrong, and where when it can.</summary>
public sealed class SourceFormatException(string message, Exception? inner = null) : Exception(message, inner);
