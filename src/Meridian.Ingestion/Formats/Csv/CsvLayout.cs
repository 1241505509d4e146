using System.Globalization;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Formats.Csv;

/// <summary>
/// How a CSV file is laid out: its delimiter, whether its first row names the columns, and which columns
/// hold the geometry (a WKT column, or longitude and latitude columns), found by name or given as options.
/// </summary>
internal sealed record CsvLayout(char Delimiter, bool HasHeader, IReadOnlyList<string> Columns, int? Wkt, int? X, int? Y)
{
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];
    private static readonly string[] WktNames = ["wkt", "geometry", "geom", "the_geom", "wkt_geom", "shape"];
    private static readonly (string X, string Y)[] LonLatNames =
        [("lon", "lat"), ("lng", "lat"), ("long", "lat"), ("longitude", "latitude"), ("x", "y")];

    /// <summary>The delimiter seen most often outside quotes in the first line; ',' when none is.</summary>
    public static char DetectDelimiter(string firstLine)
    {
        var counts = new int[Delimiters.Length];
        var inQuotes = false;
        foreach (var c in firstLine)
        {
            if (c == '"') inQuotes = !inQuotes;
            else if (!inQuotes && Array.IndexOf(Delimiters, c) is var i and >= 0) counts[i]++;
        }
        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best]) best = i;
        }
        return Delimiters[best];
    }

    public static CsvLayout Detect(char delimiter, IReadOnlyList<string> firstRow, SourceOptions options)
    {
        // A header names columns: no value in it is a number or a geometry. Otherwise columns are numbered as GDAL does.
        var hasHeader = firstRow.All(v => v.Length > 0 && TextValues.Parse(v) is string && !LooksLikeWkt(v));
        IReadOnlyList<string> columns = hasHeader ? firstRow.ToArray() : Enumerable.Range(1, firstRow.Count).Select(i => $"field_{i}").ToArray();

        int? Named(string? name, string option) => name is null ? null
            : IndexOf(columns, name) is var i and >= 0 ? i
            : throw new SourceFormatException($"the {option} '{name}' is not a column of the file (its columns: {ColumnList(columns)}).");

        var wkt = Named(options.WktColumn, "WKT column");
        var x = Named(options.XColumn, "X column");
        var y = Named(options.YColumn, "Y column");
        if ((x is null) != (y is null)) throw new SourceFormatException("give both the X (longitude) and the Y (latitude) column, or neither.");
        if (wkt is null && x is null)
        {
            wkt = WktNames.Select(n => IndexOf(columns, n)).FirstOrDefault(i => i >= 0, -1) is var w and >= 0 ? w : null;
            if (!hasHeader && wkt is null) wkt = firstRow.Select((v, i) => LooksLikeWkt(v) ? i : -1).FirstOrDefault(i => i >= 0, -1) is var v and >= 0 ? v : null;
            if (wkt is null && LonLatNames.Select(p => (X: IndexOf(columns, p.X), Y: IndexOf(columns, p.Y))).FirstOrDefault(p => p.X >= 0 && p.Y >= 0, (X: -1, Y: -1)) is { X: >= 0 } pair)
                (x, y) = (pair.X, pair.Y);
        }
        if (wkt is null && x is null)
            throw new SourceFormatException(
                $"no geometry column: name a WKT column ({string.Join(", ", WktNames)}) or longitude/latitude columns (lon/lat, lng, long, longitude/latitude, x/y), or give them as options (the file's columns: {ColumnList(columns)}).");
        return new CsvLayout(delimiter, hasHeader, columns, wkt, x, y);
    }

    /// <summary>The first columns, for a message that becomes a job's: a file of a million columns must not make it megabytes.</summary>
    private static string ColumnList(IReadOnlyList<string> columns)
    {
        const int listed = 20;
        var first = string.Join(", ", columns.Take(listed));
        return columns.Count <= listed ? first : string.Create(CultureInfo.InvariantCulture, $"{first} and {columns.Count - listed:N0} more");
    }

    public bool IsGeometryColumn(int index) => index == Wkt || index == X || index == Y;

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    private static bool LooksLikeWkt(string value)
    {
        var text = value.TrimStart();
        var word = text.AsSpan(0, text.IndexOfAny([' ', '(']) is var end and > 0 ? end : text.Length);
        return word.Length > 0 && Enum.TryParse<OgcGeometryType>(word, ignoreCase: true, out _) && text.Contains('(', StringComparison.Ordinal) ||
               text.StartsWith("SRID=", StringComparison.OrdinalIgnoreCase);
    }
}
