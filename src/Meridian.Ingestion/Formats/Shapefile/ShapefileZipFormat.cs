using System.Runtime.CompilerServices;
using Meridian.Ingestion.Formats.Archives;
using Meridian.Storage.Spatial;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using EsriShapefile = NetTopologySuite.IO.Esri.Shapefile;

namespace Meridian.Ingestion.Formats.Shapefile;

/// <summary>
/// ESRI Shapefiles in a zip archive (.shp.zip, .zip): one layer per .shp in it, with its .shx and .dbf;
/// the .prj gives the CRS and the .cpg (or the .dbf's language driver) the text encoding.
/// </summary>
internal sealed class ShapefileZipFormat : IFeatureFormat
{
    private static readonly string[] Parts = [".shp", ".shx", ".dbf", ".prj", ".cpg"];

    public string Name => "shapefile";

    /// <summary>Any zip but a KMZ: a zip without a Shapefile is then refused with what it holds.</summary>
    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) =>
        head.StartsWith(FileHead.ZipMagic) && !FileHead.HasExtension(fileName, ".kmz") && !Kml.KmlFormat.IsKmz(head);

    public async Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        var archive = await SafeZip.UnpackAsync(path, options, name => Parts.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase), cancellationToken);
        try
        {
            return new SourceFile(Layers(archive), archive);
        }
        catch
        {
            await archive.DisposeAsync();
            throw;
        }
    }

    private static List<SourceLayer> Layers(UnpackedArchive archive)
    {
        // Parts belong together by their path without the extension, in any letter case (GDAL writes .SHP too).
        var byStem = archive.Files.ToLookup(f => Path.ChangeExtension(f, null), StringComparer.OrdinalIgnoreCase);
        string? Part(string stem, string extension) => byStem[stem].FirstOrDefault(f => Path.GetExtension(f).Equals(extension, StringComparison.OrdinalIgnoreCase));

        var layers = new List<SourceLayer>();
        foreach (var stem in byStem.Select(g => g.Key).Where(s => Part(s, ".shp") is not null).Order(StringComparer.Ordinal))
        {
            // The reader needs no .shx, but a Shapefile without one is incomplete, and other tools will refuse it.
            if (Part(stem, ".shx") is null) throw Missing(stem, ".shx", "index");
            var dbf = Part(stem, ".dbf") ?? throw Missing(stem, ".dbf", "attribute table");
            var prj = Part(stem, ".prj");
            var crs = prj is null ? null : ReadPrj(archive.PathOf(prj));
            var files = new ShapefileParts(archive.PathOf(Part(stem, ".shp")!), archive.PathOf(dbf), Part(stem, ".cpg") is { } cpg ? archive.PathOf(cpg) : null);
            layers.Add(new SourceLayer(Path.GetFileName(stem), crs, ct => ReadAsync(files, ct)));
        }
        if (layers.Count > 0) return layers;

        var orphan = byStem.Select(g => g.Key).FirstOrDefault(s => Part(s, ".dbf") is not null);
        throw new SourceFormatException(orphan is not null
            ? $"the archive has '{Path.GetFileName(orphan)}.dbf' but no '{Path.GetFileName(orphan)}.shp': a Shapefile's geometries are in its .shp part."
            : $"the archive holds no Shapefile (.shp); it holds: {Listing(archive.Entries)}.");
    }

    private static SourceFormatException Missing(string stem, string extension, string what) =>
        new($"the Shapefile '{Path.GetFileName(stem)}' in the archive has no {extension} part (its {what}): zip the .shp, .shx, .dbf and .prj files together.");

    private static string Listing(List<string> entries) =>
        entries.Count == 0 ? "nothing" : string.Join(", ", entries.Take(10)) + (entries.Count > 10 ? $" and {entries.Count - 10} more" : "");

    private static SourceCrs? ReadPrj(string path)
    {
        var wkt = File.ReadAllText(path).Trim();
        return wkt.Length == 0 ? null : SourceCrs.FromWkt(wkt);
    }

    private sealed record ShapefileParts(string Shp, string Dbf, string? Cpg);

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(ShapefileParts files, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The parser below reads synchronously (buffered reads of a local file); this makes the iterator asynchronous from its start.
        await Task.Yield();
        using var reader = Open(files);
        var record = 0L;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SourceFeature feature;
            try
            {
                if (!reader.Read()) yield break;
                record++;
                var geometry = reader.Geometry is { IsEmpty: false } g ? g : null;
                feature = new SourceFeature(record, null, geometry, reader.Fields.Select(f => new KeyValuePair<string, object?>(f.Name, Value(f.Value))).ToList());
            }
            catch (Exception e) when (e is ShapefileException or IOException or ArgumentException or InvalidOperationException or FormatException or IndexOutOfRangeException or OverflowException)
            {
                // The .shp and .dbf are read in step: past a damaged record, the rest cannot be trusted.
                throw new SourceFormatException($"the Shapefile '{Path.GetFileNameWithoutExtension(files.Shp)}' is damaged at record {record}: {e.Message}", e);
            }
            yield return feature;
        }
    }

    private static ShapefileReader Open(ShapefileParts files)
    {
        try
        {
            var options = new ShapefileReaderOptions
            {
                Factory = GeometryServices.Factory,
                Encoding = ShapefileEncoding.Resolve(files.Cpg, files.Dbf),
                // A ring order the specification does not allow is read as it is, invalid, as the GeoJSON reader reads invalid polygons:
                // validation (repair or rejection) comes after reading, for every format alike.
                GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
            };
            return EsriShapefile.OpenRead(files.Shp, options);
        }
        catch (Exception e) when (e is ShapefileException or IOException or ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            throw new SourceFormatException($"the Shapefile '{Path.GetFileNameWithoutExtension(files.Shp)}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>dBASE values as <see cref="SourceFeature.Properties"/> holds them.</summary>
    private static object? Value(object? value) => value switch
    {
        null => null,
        string s => s,
        int i => (long)i,
        long l => l,
        short s => (long)s,
        decimal m => (double)m,
        float f => (double)f,
        double d => d,
        bool b => b,
        DateTime t => DateOnly.FromDateTime(t),
        _ => value.ToString(),
    };
}
