using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using MapboxTile = NetTopologySuite.IO.VectorTiles.Mapbox.Tile;

namespace Meridian.Testing;

/// <summary>One decoded MVT feature: its id, geometry type and properties as plain values.</summary>
public sealed record MvtFeature(ulong? Id, MapboxTile.GeomType Type, IReadOnlyDictionary<string, object> Properties, IReadOnlyList<uint> Commands);

/// <summary>Decodes Mapbox vector tiles with NetTopologySuite.IO.VectorTiles.Mapbox, independently of how they were made.</summary>
public static class Mvt
{
    public const double WorldHalfWidth = 20037508.342789244;

    /// <summary>Every layer by name, with its features (protobuf level: works for any tile matrix set).</summary>
    public static Dictionary<string, List<MvtFeature>> Decode(byte[] tile)
    {
        var decoded = ProtoBuf.Serializer.Deserialize<MapboxTile>(new MemoryStream(tile));
        return decoded.Layers.ToDictionary(l => l.Name, l => l.Features.Select(f => new MvtFeature(
            f.Id == 0 ? null : f.Id,
            f.Type,
            Enumerable.Range(0, f.Tags.Count / 2).ToDictionary(i => l.Keys[(int)f.Tags[2 * i]], i => ValueOf(l.Values[(int)f.Tags[2 * i + 1]])),
            f.Geometry)).ToList());
    }

    /// <summary>The layers' names in the order the tile holds them.</summary>
    public static List<string> LayerNames(byte[] tile) =>
        ProtoBuf.Serializer.Deserialize<MapboxTile>(new MemoryStream(tile)).Layers.Select(l => l.Name).ToList();

    /// <summary>The extent each layer declares.</summary>
    public static Dictionary<string, uint> Extents(byte[] tile) =>
        ProtoBuf.Serializer.Deserialize<MapboxTile>(new MemoryStream(tile)).Layers.ToDictionary(l => l.Name, l => l.Extent);

    /// <summary>A WebMercatorQuad tile read back to CRS84 geometries by NetTopologySuite's own reader.</summary>
    public static VectorTile ReadWebMercator(byte[] tile, int z, int x, int y) =>
        new MapboxTileReader().Read(new MemoryStream(tile), new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));

    /// <summary>A WebMercatorQuad tile's bounds in EPSG:3857, from the tiling's definition (origin top left).</summary>
    public static NetTopologySuite.Geometries.Envelope WebMercatorBounds(int z, long x, long y)
    {
        var size = 2 * WorldHalfWidth / Math.Pow(2, z);
        return new(-WorldHalfWidth + x * size, -WorldHalfWidth + (x + 1) * size, WorldHalfWidth - (y + 1) * size, WorldHalfWidth - y * size);
    }

    /// <summary>The same bounds in CRS84 (inverse spherical Mercator).</summary>
    public static NetTopologySuite.Geometries.Envelope WebMercatorBoundsCrs84(int z, long x, long y, double grow = 0)
    {
        var b = WebMercatorBounds(z, x, y);
        b.ExpandBy(b.Width * grow, b.Height * grow);
        static double Lon(double mx) => mx / WorldHalfWidth * 180;
        static double Lat(double my) => Math.Atan(Math.Sinh(my / WorldHalfWidth * Math.PI)) * 180 / Math.PI;
        return new(Lon(b.MinX), Lon(b.MaxX), Lat(b.MinY), Lat(b.MaxY));
    }

    // Each branch boxed on its own: a conditional chain would otherwise widen every integer to double.
    private static object ValueOf(MapboxTile.Value v) =>
        v.HasStringValue ? v.StringValue
        : v.HasBoolValue ? (object)v.BoolValue
        : v.HasDoubleValue ? (object)v.DoubleValue
        : v.HasFloatValue ? (object)(double)v.FloatValue
        : v.HasIntValue ? (object)v.IntValue
        : v.HasUIntValue ? (object)(long)v.UintValue
        : v.HasSIntValue ? (object)v.SintValue
        : throw new InvalidDataException("an MVT value without a value");
}
