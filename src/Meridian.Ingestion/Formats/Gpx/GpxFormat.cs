using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Xml;
using NetTopologySuite.IO;

namespace Meridian.Ingestion.Formats.Gpx;

/// <summary>
/// GPX 1.0/1.1 through NetTopologySuite.IO.GPX: the layers "waypoints" (points), "routes" (lines) and
/// "tracks" (multi-lines, one line per segment), each only when the file has any. Element values and the
/// simple children of &lt;extensions&gt; (such as GDAL's ogr:name) are properties.
/// </summary>
internal sealed class GpxFormat : IFeatureFormat
{
    /// <summary>How many features the parsing thread may read ahead of the consumer.</summary>
    private const int ReadAhead = 256;

    private const string Gpx11Namespace = "http://www.topografix.com/GPX/1/1";

    public string Name => "gpx";

    public bool Recognizes(string fileName, ReadOnlySpan<byte> head) => FileHead.XmlRoot(head) == "gpx";

    public async Task<SourceFile> OpenAsync(string path, SourceOptions options, CancellationToken cancellationToken)
    {
        var present = await ScanAsync(path, cancellationToken);
        var layers = new[] { GpxLayer.Waypoints, GpxLayer.Routes, GpxLayer.Tracks }
            .Where(present.Contains)
            .Select(kind => new SourceLayer(kind.Name, null, ct => ReadAsync(path, kind, ct)))
            .ToList();
        return layers.Count > 0 ? new SourceFile(layers) : throw new SourceFormatException("the GPX file has no waypoints, routes or tracks.");
    }

    /// <summary>Which of wpt, rte and trk the file has, in one cheap pass that reads no values.</summary>
    private static async Task<HashSet<GpxLayer>> ScanAsync(string path, CancellationToken cancellationToken)
    {
        var present = new HashSet<GpxLayer>();
        using var xml = XmlInput.Open(FeatureFormats.OpenRead(path), async: true);
        try
        {
            await xml.MoveToContentAsync();
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "gpx")
                throw new SourceFormatException($"the root element is <{xml.LocalName}>, not <gpx>: the file is not GPX.");
            // The library reads GPX 1.1 elements only; anything else would read as an empty file.
            if (xml.NamespaceURI != Gpx11Namespace)
                throw new SourceFormatException($"the <gpx> element is in the namespace '{xml.NamespaceURI}', not GPX 1.1's '{Gpx11Namespace}' (GPX 1.0 is not read: convert it, e.g. with gpsbabel).");
            await xml.ReadAsync();
            while (!xml.EOF)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (xml.Depth == 1 && xml.NodeType == XmlNodeType.Element && GpxLayer.ForElement(xml.LocalName) is { } kind) present.Add(kind);
                // Skip moves past a whole element (to its next sibling), Read into it.
                if (xml.Depth == 1 && xml.NodeType == XmlNodeType.Element) await xml.SkipAsync();
                else await xml.ReadAsync();
            }
        }
        catch (XmlException e)
        {
            throw XmlInput.Malformed("GPX", e);
        }
        return present;
    }

    /// <summary>
    /// NetTopologySuite.IO.GPX pushes elements to a visitor as it parses; a thread runs it and hands the
    /// features over through a small bounded channel, so that the file is streamed, not loaded.
    /// </summary>
    private static async IAsyncEnumerable<SourceFeature> ReadAsync(string path, GpxLayer kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SourceFeature>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                using var xml = XmlInput.Open(FeatureFormats.OpenRead(path), async: false);
                GpxReader.Read(xml, GpxFeatures.Settings, new GpxFeatures(kind, feature => channel.Writer.WriteAsync(feature, stop.Token).AsTask().GetAwaiter().GetResult()));
            }
            catch (XmlException e)
            {
                failure = XmlInput.Malformed("GPX", e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The library validates as it parses (latitudes in range, known elements): the file is refused with its reason.
                failure = e as SourceFormatException ?? new SourceFormatException($"the GPX file cannot be read: {e.Message}", e);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var feature in channel.Reader.ReadAllAsync(cancellationToken)) yield return feature;
            await producer;
            if (failure is not null) throw failure;
        }
        finally
        {
            await stop.CancelAsync();
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>The three kinds of GPX layers and the elements they come from.</summary>
internal sealed record GpxLayer(string Name, string Element)
{
    public static readonly GpxLayer Waypoints = new("waypoints", "wpt");
    public static readonly GpxLayer Routes = new("routes", "rte");
    public static readonly GpxLayer Tracks = new("tracks", "trk");

    public static GpxLayer? ForElement(string element) => element switch
    {
        "wpt" => Waypoints,
        "rte" => Routes,
        "trk" => Tracks,
        _ => null,
    };
}
