using System.Globalization;
using System.Xml.Linq;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;

namespace Meridian.Ingestion.Formats.Kml;

/// <summary>One KML Placemark as a feature: name, description and ExtendedData as properties, its geometry as NTS.</summary>
internal static class KmlPlacemark
{
    /// <summary>MultiGeometry nested deeper than this is refused rather than recursed into.</summary>
    private const int MaxNesting = 32;

    private static readonly HashSet<string> GeometryNames = ["Point", "LineString", "LinearRing", "Polygon", "MultiGeometry"];

    public static SourceFeature Read(XElement placemark, long record, KmlSchemas schemas)
    {
        try
        {
            var geometryElement = placemark.Elements().FirstOrDefault(e => GeometryNames.Contains(e.Name.LocalName));
            var geometry = geometryElement is null ? null : Geometry(geometryElement, 0);
            return new SourceFeature(record, (string?)placemark.Attribute("id"), geometry, Properties(placemark, schemas));
        }
        catch (FormatException e)
        {
            return SourceFeature.Rejected(record, e.Message);
        }
        catch (ArgumentException e)
        {
            // NTS refuses rings that are not closed or have too few points.
            return SourceFeature.Rejected(record, $"invalid geometry: {e.Message}");
        }
    }

    private static List<KeyValuePair<string, object?>> Properties(XElement placemark, KmlSchemas schemas)
    {
        var properties = new List<KeyValuePair<string, object?>>();
        foreach (var simple in new[] { "name", "description" })
        {
            if (Child(placemark, simple) is { } element) properties.Add(new(simple, element.Value));
        }
        if (Child(placemark, "ExtendedData") is not { } extended) return properties;
        foreach (var item in extended.Elements())
        {
            switch (item.Name.LocalName)
            {
                case "Data" when (string?)item.Attribute("name") is { } name:
                    properties.Add(new(name, Child(item, "value") is { } value ? TextValues.Parse(value.Value) : null));
                    break;
                case "SchemaData":
                    var schemaUrl = (string?)item.Attribute("schemaUrl");
                    foreach (var data in item.Elements().Where(e => e.Name.LocalName == "SimpleData"))
                    {
                        if ((string?)data.Attribute("name") is { } field) properties.Add(new(field, schemas.Value(schemaUrl, field, data.Value)));
                    }
                    break;
            }
        }
        return properties;
    }

    private static Geometry Geometry(XElement element, int depth)
    {
        var factory = GeometryServices.Factory;
        switch (element.Name.LocalName)
        {
            case "Point":
                var point = Coordinates(element);
                return point.Length == 1 ? factory.CreatePoint(point[0]) : throw new FormatException($"a Point has {point.Length} coordinates, not 1.");
            case "LineString":
                return factory.CreateLineString(Coordinates(element));
            case "LinearRing":
                return factory.CreateLinearRing(Coordinates(element));
            case "Polygon":
                var outer = Child(element, "outerBoundaryIs")?.Elements().FirstOrDefault(e => e.Name.LocalName == "LinearRing")
                    ?? throw new FormatException("a Polygon has no outerBoundaryIs/LinearRing.");
                var holes = element.Elements().Where(e => e.Name.LocalName == "innerBoundaryIs")
                    .SelectMany(b => b.Elements().Where(e => e.Name.LocalName == "LinearRing"))
                    .Select(r => factory.CreateLinearRing(Coordinates(r)));
                return factory.CreatePolygon(factory.CreateLinearRing(Coordinates(outer)), holes.ToArray());
            default: // MultiGeometry
                if (depth >= MaxNesting) throw new FormatException($"MultiGeometry is nested more than {MaxNesting} deep.");
                var parts = element.Elements().Where(e => GeometryNames.Contains(e.Name.LocalName)).Select(e => Geometry(e, depth + 1)).ToArray();
                return parts switch
                {
                    _ when parts.Length > 0 && parts.All(p => p is Point) => factory.CreateMultiPoint(parts.Cast<Point>().ToArray()),
                    _ when parts.Length > 0 && parts.All(p => p is LineString) => factory.CreateMultiLineString(parts.Cast<LineString>().ToArray()),
                    _ when parts.Length > 0 && parts.All(p => p is Polygon) => factory.CreateMultiPolygon(parts.Cast<Polygon>().ToArray()),
                    _ => factory.CreateGeometryCollection(parts),
                };
        }
    }

    /// <summary>"lon,lat[,alt]" tuples separated by whitespace.</summary>
    private static Coordinate[] Coordinates(XElement element)
    {
        var text = Child(element, "coordinates")?.Value ?? throw new FormatException($"a {element.Name.LocalName} has no coordinates.");
        var tuples = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var coordinates = new Coordinate[tuples.Length];
        for (var i = 0; i < tuples.Length; i++)
        {
            var values = tuples[i].Split(',');
            if (values.Length is < 2 or > 3 || !values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)))
                throw new FormatException($"coordinates: '{(tuples[i].Length > 60 ? tuples[i][..60] + "..." : tuples[i])}' is not lon,lat[,alt].");
            var x = double.Parse(values[0], CultureInfo.InvariantCulture);
            var y = double.Parse(values[1], CultureInfo.InvariantCulture);
            coordinates[i] = values.Length == 3 ? new CoordinateZ(x, y, double.Parse(values[2], CultureInfo.InvariantCulture)) : new Coordinate(x, y);
        }
        return coordinates;
    }

    private static XElement? Child(XElement element, string localName) => element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);
}
