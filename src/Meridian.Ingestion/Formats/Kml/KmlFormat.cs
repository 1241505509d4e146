using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Meridian.Ingestion.Formats.Archives;

namespace Meridian.Ingestion.Formats.Kml;

/// <summary>
/// KML (.kml) and zipped KML (.kmz, its doc.kml): every Placemark, wherever it is in Documents and Folders,
/// in one layer named after the file (folders are often a display grouping, not a schema, so they are not
/// split into layers). Coordinates are WGS 84 longitude, latitude[, altitude], as KML requires.
/// </summary>
internal sealed class KmlFormat : IFeatureFormat
{
    public string Name => "kml";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) =>
        head.StartsWith(FileHead.ZipMagic) ? FileHead.HasExtension(fileName, ".kmz") || IsKmz(head) : FileHead.XmlRoot(head) == "kml";

    /// <summary>Whether a zip's first entry is a .kml file, as in every KMZ (its name is in the first local file header).</summary>
    internal static bool IsKmz(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith(FileHead.ZipMagic) || head.Length < 30) return false;
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(head[26..]);
        return head.Length >= 30 + nameLength && Encoding.UTF8.GetString(head.Slice(30, nameLength)).EndsWith(".kml", StringComparison.OrdinalIgnoreCase);
    }

    public async Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        var layerName = FeatureFormats.LayerName(path);
        using (var head = FeatureFormats.OpenRead(path))
        {
            Span<byte> magic = stackalloc byte[4];
            if (head.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || !magic.StartsWith(FileHead.ZipMagic))
                return new SourceFile([new SourceLayer(layerName, null, ct => ReadAsync(path, ct))]);
        }
        var archive = await SafeZip.UnpackAsync(path, options, name => name.EndsWith(".kml", StringComparison.OrdinalIgnoreCase), cancellationToken);
        // The KMZ convention: the root doc.kml, else the first .kml at the root, else any.
        var kml = archive.Files.FirstOrDefault(f => f.Equals("doc.kml", StringComparison.OrdinalIgnoreCase))
            ?? archive.Files.FirstOrDefault(f => !f.Contains('/')) ?? archive.Files.FirstOrDefault();
        if (kml is null)
        {
            await archive.DisposeAsync();
            throw new SourceFormatException($"the KMZ archive holds no .kml document; it holds: {string.Join(", ", archive.Entries.Take(10))}.");
        }
        var document = archive.PathOf(kml);
        return new SourceFile([new SourceLayer(layerName, null, ct => ReadAsync(document, ct))], archive);
    }

    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var xml = XmlInput.Open(FeatureFormats.OpenRead(path), async: true);
        var schemas = new KmlSchemas();
        var record = 0L;
        while (await NextPlacemarkAsync(xml, schemas, cancellationToken) is { } placemark)
        {
            record++;
            yield return KmlPlacemark.Read(placemark, record, schemas);
        }
    }

    /// <summary>
    /// Moves to the next Placemark and reads it whole (one placemark at a time is in memory); null at the end.
    /// Schemas met on the way are kept, for the types of their fields.
    /// </summary>
    private static async Task<XElement?> NextPlacemarkAsync(XmlReader xml, KmlSchemas schemas, CancellationToken cancellationToken)
    {
        try
        {
            if (xml.ReadState == ReadState.Initial)
            {
                await xml.MoveToContentAsync();
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "kml")
                    throw new SourceFormatException($"the root element is <{xml.LocalName}>, not <kml>: the file is not KML.");
            }
            while (!xml.EOF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Placemark")
                    return (XElement)await XNode.ReadFromAsync(xml, cancellationToken);
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Schema")
                    schemas.Add((XElement)await XNode.ReadFromAsync(xml, cancellationToken));
                else
                    await xml.ReadAsync();
            }
            return null;
        }
        catch (XmlException e)
        {
            throw XmlInput.Malformed("KML", e);
        }
    }
}
