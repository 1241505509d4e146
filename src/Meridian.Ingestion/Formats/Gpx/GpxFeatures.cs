using System.Xml.Linq;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Ingestion.Formats.Gpx;

/// <summary>Turns the GPX elements of one layer into features, numbered in file order, as the library visits them.</summary>
internal sealed class GpxFeatures(GpxLayer kind, Action<SourceFeature> emit) : GpxVisitorBase
{
    /// <summary>Lenient where GPS devices and converters are sloppy: versions, creators, dates and unknown top-level elements.</summary>
    public static readonly GpxReaderSettings Settings = new()
    {
        IgnoreVersionAttribute = true,
        IgnoreBadDateTime = true,
        IgnoreUnexpectedChildrenOfTopLevelElement = true,
        DefaultCreatorIfMissing = "unknown",
        BuildWebLinksForVeryLongUriValues = true,
    };

    private long _record;

    public override void VisitWaypoint(GpxWaypoint waypoint)
    {
        if (kind == GpxLayer.Waypoints) Emit(() => (Point(waypoint), WaypointProperties(waypoint)));
    }

    public override void VisitRoute(GpxRoute route)
    {
        if (kind != GpxLayer.Routes) return;
        Emit(() => (Line(route.Waypoints), Properties(route.Name, route.Comment, route.Description, route.Source, route.Links, route.Number, route.Classification, route.Extensions)));
    }

    public override void VisitTrack(GpxTrack track)
    {
        if (kind != GpxLayer.Tracks) return;
        Emit(() =>
        {
            var lines = track.Segments.Where(s => s.Waypoints.Count > 0).Select(s => Line(s.Waypoints)!).ToArray();
            Geometry? geometry = lines.Length == 0 ? null : GeometryServices.Factory.CreateMultiLineString(lines);
            return (geometry, Properties(track.Name, track.Comment, track.Description, track.Source, track.Links, track.Number, track.Classification, track.Extensions));
        });
    }

    private void Emit(Func<(Geometry? Geometry, List<KeyValuePair<string, object?>> Properties)> read)
    {
        _record++;
        SourceFeature feature;
        try
        {
            var (geometry, properties) = read();
            feature = new SourceFeature(_record, null, geometry, properties);
        }
        catch (ArgumentException e)
        {
            // A route or track segment of a single point is no line.
            feature = SourceFeature.Rejected(_record, $"invalid geometry: {e.Message}");
        }
        emit(feature);
    }

    private static Point Point(GpxWaypoint w) =>
        GeometryServices.Factory.CreatePoint(w.ElevationInMeters is { } z ? new CoordinateZ(w.Longitude, w.Latitude, z) : new Coordinate(w.Longitude, w.Latitude));

    private static LineString? Line(ImmutableGpxWaypointTable points) =>
        points.Count == 0 ? null : GeometryServices.Factory.CreateLineString(points.Select(p => Point(p).Coordinate).ToArray());

    private static List<KeyValuePair<string, object?>> WaypointProperties(GpxWaypoint w)
    {
        var properties = Properties(w.Name, w.Comment, w.Description, w.Source, w.Links, null, w.Classification, w.Extensions);
        Add(properties, "ele", w.ElevationInMeters);
        Add(properties, "time", w.TimestampUtc is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null);
        Add(properties, "magvar", w.MagneticVariation?.Value);
        Add(properties, "geoidheight", w.GeoidHeight);
        Add(properties, "sym", w.SymbolText);
        Add(properties, "fix", w.FixKind?.ToString().ToLowerInvariant());
        Add(properties, "sat", w.NumberOfSatellites is { } sat ? (long)sat : null);
        Add(properties, "hdop", w.HorizontalDilutionOfPrecision);
        Add(properties, "vdop", w.VerticalDilutionOfPrecision);
        Add(properties, "pdop", w.PositionDilutionOfPrecision);
        Add(properties, "ageofdgpsdata", w.SecondsSinceLastDgpsUpdate);
        Add(properties, "dgpsid", w.DgpsStationId is { } station ? (long)station.Value : null);
        return properties;
    }

    /// <summary>The elements waypoints, routes and tracks share; absent ones are left out.</summary>
    private static List<KeyValuePair<string, object?>> Properties(string? name, string? comment, string? description, string? source,
        IEnumerable<GpxWebLink> links, uint? number, string? type, object? extensions)
    {
        var properties = new List<KeyValuePair<string, object?>>();
        Add(properties, "name", name);
        Add(properties, "cmt", comment);
        Add(properties, "desc", description);
        Add(properties, "src", source);
        Add(properties, "link", links.FirstOrDefault()?.HrefString);
        Add(properties, "number", number is { } n ? (long)n : null);
        Add(properties, "type", type);
        // The default extension reader keeps the elements; the simple ones (no children) become properties by local name.
        if (extensions is IEnumerable<XElement> elements)
        {
            foreach (var element in elements.Where(e => !e.HasElements))
            {
                if (properties.All(p => p.Key != element.Name.LocalName)) properties.Add(new(element.Name.LocalName, TextValues.Parse(element.Value)));
            }
        }
        return properties;
    }

    private static void Add(List<KeyValuePair<string, object?>> properties, string name, object? value)
    {
        if (value is not null) properties.Add(new(name, value));
    }
}
