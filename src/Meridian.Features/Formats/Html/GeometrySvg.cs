using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;

namespace Meridian.Features.Formats.Html;

/// <summary>Draws a geometry as inline SVG, so a feature page shows its shape without any map library.</summary>
internal static class GeometrySvg
{
    private const double Size = 320;

    public static string Render(Geometry geometry)
    {
        var e = geometry.EnvelopeInternal;
        var span = Math.Max(Math.Max(e.Width, e.Height), 1e-9);
        var pad = span * 0.05;
        var scale = Size / (span + 2 * pad);
        string P(Coordinate c) => string.Create(CultureInfo.InvariantCulture,
            $"{(c.X - e.MinX + pad) * scale:0.##},{(e.MaxY - c.Y + pad) * scale:0.##}");

        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Size}\" height=\"{Size}\">");
        void Draw(Geometry g)
        {
            switch (g)
            {
                case Point p:
                    var xy = P(p.Coordinate).Split(',');
                    svg.Append($"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"5\" fill=\"#1f6fb2\"/>");
                    break;
                case LineString l:
                    svg.Append("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"")
                        .AppendJoin(' ', l.Coordinates.Select(P)).Append("\"/>");
                    break;
                case Polygon polygon:
                    svg.Append("<path fill=\"#1f6fb2\" fill-opacity=\"0.35\" stroke=\"#1f6fb2\" fill-rule=\"evenodd\" d=\"");
                    foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
                        svg.Append('M').AppendJoin(" L", ring.Coordinates.Select(P)).Append('Z');
                    svg.Append("\"/>");
                    break;
                case GeometryCollection collection:
                    foreach (var part in collection.Geometries) Draw(part);
                    break;
            }
        }
        Draw(geometry);
        return svg.Append("</svg>").ToString();
    }
}
