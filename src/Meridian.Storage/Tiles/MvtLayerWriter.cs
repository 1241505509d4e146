using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace Meridian.Storage.Tiles;

/// <summary>
/// Encodes one layer of a Mapbox vector tile (MVT 2.1) from geometries already on the tile's grid (see
/// <see cref="TileFrame"/>), into NetTopologySuite.IO.VectorTiles.Mapbox's protobuf model. Its own
/// <c>MapboxTileWriter</c> is not used: it takes CRS84 input and only knows Web Mercator tiles, where a
/// tile here may be in either tile matrix set and is already clipped, buffered and snapped.
/// </summary>
public sealed class MvtLayerWriter
{
    private const uint MoveTo = 1, LineTo = 2, ClosePath = 7;

    private readonly Tile.Layer _layer;
    private readonly Dictionary<string, uint> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<object, uint> _values = [];

    public MvtLayerWriter(string name, int extent)
    {
        _layer = new Tile.Layer { Version = 2, Name = name, Extent = (uint)extent };
    }

    public int Count => _layer.Features.Count;

    /// <summary>Adds a feature; returns false (and adds nothing) when its geometry encodes to nothing.</summary>
    public bool Add(Geometry grid, ulong? id, IEnumerable<KeyValuePair<string, object?>> properties)
    {
        var feature = new Tile.Feature();
        var (x, y) = (0, 0);
        switch (grid)
        {
            case IPuntal:
                feature.Type = Tile.GeomType.Point;
                EncodePoints(grid, feature.Geometry, ref x, ref y);
                break;
            case ILineal:
                feature.Type = Tile.GeomType.LineString;
                for (var i = 0; i < grid.NumGeometries; i++)
                    EncodeLine(((LineString)grid.GetGeometryN(i)).Coordinates, feature.Geometry, ref x, ref y, ring: false, exterior: false);
                break;
            case IPolygonal:
                feature.Type = Tile.GeomType.Polygon;
                for (var i = 0; i < grid.NumGeometries; i++)
                {
                    var polygon = (Polygon)grid.GetGeometryN(i);
                    // A shell that collapses on the grid takes its holes with it.
                    if (!EncodeLine(polygon.Shell.Coordinates, feature.Geometry, ref x, ref y, ring: true, exterior: true)) continue;
                    foreach (var hole in polygon.Holes)
                        EncodeLine(hole.Coordinates, feature.Geometry, ref x, ref y, ring: true, exterior: false);
                }
                break;
        }
        if (feature.Geometry.Count == 0) return false;
        if (id is { } value) feature.Id = value;
        foreach (var (key, raw) in properties)
        {
            if (ToValue(raw) is not { } tileValue) continue;
            feature.Tags.Add(Index(_keys, key, () => _layer.Keys.Add(key)));
            feature.Tags.Add(Index(_values, tileValue.Key, () => _layer.Values.Add(tileValue.Value)));
        }
        _layer.Features.Add(feature);
        return true;
    }

    /// <summary>The tile with this one layer, or an empty array when no feature was added.</summary>
    public byte[] ToArray()
    {
        if (Count == 0) return [];
        var tile = new Tile();
        tile.Layers.Add(_layer);
        using var stream = new MemoryStream();
        ProtoBuf.Serializer.Serialize(stream, tile);
        return stream.ToArray();
    }

    private static uint Index<T>(Dictionary<T, uint> index, T key, Action add) where T : notnull
    {
        if (index.TryGetValue(key, out var existing)) return existing;
        var next = (uint)index.Count;
        index.Add(key, next);
        add();
        return next;
    }

    /// <summary>A property value as MVT carries it (see <see cref="IVectorTileSource"/>), with its identity for sharing.</summary>
    private static (object Key, Tile.Value Value)? ToValue(object? value) => value switch
    {
        null => null,
        string s => (s, new Tile.Value { StringValue = s }),
        bool b => (b, new Tile.Value { BoolValue = b }),
        long or int or short or sbyte => Integer(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double d => (d, new Tile.Value { DoubleValue = d }),
        float f => ((double)f, new Tile.Value { DoubleValue = f }),
        DateOnly d => Text(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTimeOffset t => Text(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        IFormattable f => Text(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Text(value.ToString() ?? ""),
    };

    private static (object, Tile.Value) Text(string s) => (s, new Tile.Value { StringValue = s });

    // As PostGIS writes integers: unsigned when not negative, zig-zag signed otherwise.
    private static (object, Tile.Value) Integer(long l) =>
        (l, l >= 0 ? new Tile.Value { UintValue = (ulong)l } : new Tile.Value { SintValue = l });

    private static void EncodePoints(Geometry points, List<uint> commands, ref int x, ref int y)
    {
        var count = 0;
        var start = commands.Count;
        commands.Add(0);
        for (var i = 0; i < points.NumGeometries; i++)
        {
            if (points.GetGeometryN(i) is not Point { IsEmpty: false } p) continue;
            var (px, py) = ((int)Math.Round(p.X), (int)Math.Round(p.Y));
            commands.Add(ZigZag(px - x));
            commands.Add(ZigZag(py - y));
            (x, y) = (px, py);
            count++;
        }
        if (count == 0) commands.RemoveAt(start);
        else commands[start] = Command(MoveTo, count);
    }

    /// <summary>
    /// Appends a line string or ring, dropping repeated points; a ring is turned to MVT's winding (exterior
    /// rings positive by the surveyor's formula on the y-down grid, holes negative). Returns false when it
    /// collapses (a line of fewer than 2 points, a ring of fewer than 3 or without area).
    /// </summary>
    private static bool EncodeLine(Coordinate[] coordinates, List<uint> commands, ref int x, ref int y, bool ring, bool exterior)
    {
        var points = new List<(int X, int Y)>(coordinates.Length);
        foreach (var c in coordinates)
        {
            var p = ((int)Math.Round(c.X), (int)Math.Round(c.Y));
            if (points.Count == 0 || points[^1] != p) points.Add(p);
        }
        if (ring)
        {
            if (points.Count > 1 && points[^1] == points[0]) points.RemoveAt(points.Count - 1);
            if (points.Count < 3) return false;
            long area = 0;
            for (var i = 0; i < points.Count; i++)
            {
                var (a, b) = (points[i], points[(i + 1) % points.Count]);
                area += (long)a.X * b.Y - (long)b.X * a.Y;
            }
            if (area == 0) return false;
            if (area > 0 != exterior) points.Reverse();
        }
        else if (points.Count < 2)
        {
            return false;
        }

        commands.Add(Command(MoveTo, 1));
        commands.Add(ZigZag(points[0].X - x));
        commands.Add(ZigZag(points[0].Y - y));
        commands.Add(Command(LineTo, points.Count - 1));
        for (var i = 1; i < points.Count; i++)
        {
            commands.Add(ZigZag(points[i].X - points[i - 1].X));
            commands.Add(ZigZag(points[i].Y - points[i - 1].Y));
        }
        (x, y) = points[^1];
        if (ring) commands.Add(Command(ClosePath, 1));
        return true;
    }

    private static uint Command(uint id, int count) => (id & 0x7) | ((uint)count << 3);

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));
}
