using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Meridian.Storage.Spatial;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Ingestion.Formats.Csv;

/// <summary>
/// Delimited text (',', ';', tab or '|', detected from the first line) with a geometry in a WKT column or in
/// longitude/latitude columns. A row that cannot be read (wrong column count, a bad number or WKT, an
/// unterminated quote) is a rejected record naming its column; the CSV declares no CRS.
/// </summary>
internal sealed class CsvFormat : IFeatureFormat
{
    public string Name => "csv";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) =>
        // Text in another encoding than UTF-8 is claimed too, so that reading can say where and why it is refused.
        FileHead.HasExtension(fileName, ".csv", ".tsv", ".txt", ".psv") && !head.Contains((byte)0) &&
        FileHead.TrimStart(head) is [not ((byte)'<' or (byte)'{' or (byte)'['), ..];

    public Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        using var text = OpenText(path);
        var firstLine = Decoded(() => ReadFirstLine(text));
        if (string.IsNullOrWhiteSpace(firstLine)) throw new SourceFormatException("the CSV file is empty: a header row was expected.");
        var delimiter = options.Delimiter ?? CsvLayout.DetectDelimiter(firstLine);
        var fields = new List<string>();
        new CsvRecordReader(new StringReader(firstLine), delimiter).TryRead(fields, out _, out _);
        var layout = CsvLayout.Detect(delimiter, fields, options);
        return Task.FromResult(new SourceFile([new SourceLayer(FeatureFormats.LayerName(path), null, ct => ReadAsync(path, layout, ct))]));
    }

    /// <summary>Strict UTF-8: bytes of another encoding would otherwise turn into replacement characters, silently.</summary>
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static StreamReader OpenText(string path) => new(FeatureFormats.OpenRead(path), Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);

    /// <summary>Runs a read, refusing text that is not UTF-8 (the position is unknown: the reader decodes ahead in blocks).</summary>
    private static T Decoded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DecoderFallbackException e)
        {
            throw new SourceFormatException("the CSV file is not UTF-8 (it has bytes of another encoding, such as Windows-1252): save it as UTF-8 and load it again.", e);
        }
    }

    /// <summary>The first line, quotes respected, at most 1 Mi characters (a header is never longer).</summary>
    private static string ReadFirstLine(TextReader text)
    {
        var line = new StringBuilder();
        var inQuotes = false;
        int c;
        while ((c = text.Read()) >= 0 && line.Length < 1024 * 1024)
        {
            if (c == '"') inQuotes = !inQuotes;
            if (!inQuotes && c is '\r' or '\n') break;
            line.Append((char)c);
        }
        return line.ToString();
    }

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, CsvLayout layout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The parser below reads synchronously (buffered reads of a local file); this makes the iterator asynchronous from its start.
        await Task.Yield();
        using var text = OpenText(path);
        var records = new CsvRecordReader(text, layout.Delimiter);
        var fields = new List<string>();
        var wkt = new WKTReader(NtsGeometryServices.Instance) { IsOldNtsCoordinateSyntaxAllowed = false };
        if (layout.HasHeader) records.TryRead(fields, out _, out _);
        var record = 0L;
        string? error = null;
        var errorField = -1;
        while (Decoded(() => records.TryRead(fields, out error, out errorField)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A blank line is no row.
            if (error is null && fields is [""]) continue;
            record++;
            yield return error is not null
                ? SourceFeature.Rejected(record, $"{ColumnName(layout, errorField)}: {error}.")
                : ToFeature(layout, fields, record, wkt);
        }
    }

    private static string ColumnName(CsvLayout layout, int index) =>
        index < layout.Columns.Count ? $"column '{layout.Columns[index]}'" : $"column {index + 1}";

    private static SourceFeature ToFeature(CsvLayout layout, List<string> fields, long record, WKTReader wkt)
    {
        if (fields.Count != layout.Columns.Count)
            return SourceFeature.Rejected(record, $"the row has {fields.Count} columns where the header has {layout.Columns.Count}.");
        Geometry? geometry;
        try
        {
            geometry = layout.Wkt is { } w ? ReadWkt(fields[w], wkt) : ReadPoint(fields[layout.X!.Value], fields[layout.Y!.Value], layout);
        }
        catch (FormatException e)
        {
            return SourceFeature.Rejected(record, e.Message);
        }
        var properties = new List<KeyValuePair<string, object?>>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!layout.IsGeometryColumn(i)) properties.Add(new(layout.Columns[i], TextValues.Parse(fields[i])));
        }
        return new SourceFeature(record, null, geometry, properties);

        Geometry? ReadWkt(string value, WKTReader reader)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            try
            {
                return reader.Read(value);
            }
            catch (Exception e) when (e is ParseException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException)
            {
                throw new FormatException($"{ColumnName(layout, layout.Wkt!.Value)}: '{Shorten(value)}' is not valid WKT: {e.Message}");
            }
        }
    }

    private static Point? ReadPoint(string x, string y, CsvLayout layout)
    {
        if (string.IsNullOrWhiteSpace(x) && string.IsNullOrWhiteSpace(y)) return null;
        return GeometryServices.Factory.CreatePoint(new Coordinate(Number(x, layout.X!.Value), Number(y, layout.Y!.Value)));

        double Number(string value, int column) =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d
                : throw new FormatException($"{ColumnName(layout, column)}: '{Shorten(value)}' is not a number.");
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
