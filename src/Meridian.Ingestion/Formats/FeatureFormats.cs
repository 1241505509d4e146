using Meridian.Ingestion.Formats.Csv;
using Meridian.Ingestion.Formats.FlatGeobuf;
using Meridian.Ingestion.Formats.GeoJson;
using Meridian.Ingestion.Formats.GeoPackage;
using Meridian.Ingestion.Formats.Gpx;
using Meridian.Ingestion.Formats.Kml;
using Meridian.Ingestion.Formats.Shapefile;

namespace Meridian.Ingestion.Formats;

/// <summary>Every file format Meridian ingests, and which one a file is in.</summary>
public static class FeatureFormats
{
    /// <summary>How much of a file <see cref="Detect"/> reads.</summary>
    public const int HeadBytes = 4096;

    /// <summary>
    /// In the order <see cref="Detect"/> asks them: formats told by a signature first (SQLite header, FlatGeobuf
    /// magic, zip, XML root element), then the JSON formats, where GeoJSON text sequences must be asked before
    /// GeoJSON (both start with '{'), and CSV, which goes by its name, last.
    /// </summary>
    public static IReadOnlyList<IFeatureFormat> All { get; } =
    [
        new GeoPackageFormat(), new FlatGeobufFormat(), new KmlFormat(), new ShapefileZipFormat(), new GpxFormat(),
        new GeoJsonSeqFormat(), new GeoJsonFormat(), new CsvFormat(),
    ];

    /// <summary>The format of the given name (case-insensitive), e.g. "csv"; null when there is none.</summary>
    public static IFeatureFormat? Find(string name) => All.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The format of a file, told by its first 4 KiB and then its name. A file that none recognises is a
    /// <see cref="SourceFormatException"/> saying what the file looks like (an HTML page, a TIFF image…).
    /// </summary>
    public static IFeatureFormat Detect(string path)
    {
        byte[] head;
        long length;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            length = stream.Length;
            head = new byte[(int)Math.Min(HeadBytes, length)];
            stream.ReadExactly(head);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceFormatException($"'{Path.GetFileName(path)}' cannot be read: {e.Message}", e);
        }
        var name = Path.GetFileName(path);
        return All.FirstOrDefault(f => f.Recognizes(name, head))
            ?? throw new SourceFormatException($"'{name}' is in no format Meridian reads: {FileHead.Describe(head, length)}.");
    }

    // Extensions that name one format; .zip, .json and .txt say too little to disagree with the content.
    private static readonly (string Extension, string Format)[] NamedExtensions =
    [
        (".geojson", "geojson"), (".geojsonl", "geojsonseq"), (".geojsons", "geojsonseq"), (".geojsonseq", "geojsonseq"), (".ndjson", "geojsonseq"),
        (".csv", "csv"), (".tsv", "csv"), (".shp.zip", "shapefile"), (".gpkg", "gpkg"), (".gpx", "gpx"), (".kml", "kml"), (".kmz", "kml"), (".fgb", "flatgeobuf"),
    ];

    /// <summary>The format a file's extension names, e.g. "shapefile" for ".shp.zip"; null when it names none.</summary>
    public static string? NamedFormat(string fileName) =>
        NamedExtensions.FirstOrDefault(e => fileName.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase)).Format;

    /// <summary>
    /// A layer's name from its file's name, up to the first dot: "ne_10m_airports.shp.zip" and
    /// "ne_10m_airports.lonlat.csv" give "ne_10m_airports".
    /// </summary>
    internal static string LayerName(string path)
    {
        var name = Path.GetFileName(path);
        return name.IndexOf('.', 1) is var dot and > 0 ? name[..dot] : name;
    }

    /// <summary>A file opened for one forward pass, asynchronous and without a buffer of its own (readers keep theirs).</summary>
    internal static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceFormatException($"'{Path.GetFileName(path)}' cannot be read: {e.Message}", e);
        }
    }
}
