using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Meridian.Storage.Spatial;

namespace Meridian.Storage.Tests.Spatial;

public sealed class WkbGeoJsonTests
{
    /// <summary>Little-endian ISO WKB of a point or line string, XYZ when z values are given.</summary>
    private static byte[] Wkb(int type, params double[][] positions)
    {
        var hasZ = positions[0].Length == 3;
        var bytes = new List<byte> { 1 };
        bytes.AddRange(BitConverter.GetBytes((uint)(type + (hasZ ? 1000 : 0))));
        if (type == 2) bytes.AddRange(BitConverter.GetBytes((uint)positions.Length));
        foreach (var value in positions.SelectMany(p => p))
        {
            var buffer = new byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(buffer, value);
            bytes.AddRange(buffer);
        }
        return bytes.ToArray();
    }

    private static string? Write(byte[] wkb)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            if (!WkbGeoJson.TryWrite(writer, wkb)) return null;
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void TryWrite_PointWithNaNHeight_IsWrittenIn2D()
    {
        Assert.Equal("""{"type":"Point","coordinates":[2.35,48.85]}""", Write(Wkb(1, [2.35, 48.85, double.NaN])));
    }

    [Fact]
    public void TryWrite_LineWithNaNHeights_IsWrittenIn2D()
    {
        Assert.Equal("""{"type":"LineString","coordinates":[[0,0],[1,1]]}""", Write(Wkb(2, [0, 0, double.NaN], [1, 1, double.NaN])));
    }

    [Fact]
    public void TryWrite_PointWithHeight_KeepsIt()
    {
        Assert.Equal("""{"type":"Point","coordinates":[1,2,3]}""", Write(Wkb(1, [1, 2, 3])));
    }

    [Fact]
    public void TryWrite_EmptyPoint_IsNull()
    {
        Assert.Equal("null", Write(Wkb(1, [double.NaN, double.NaN])));
    }

    [Theory]
    [InlineData(1.0, double.NaN)]
    [InlineData(double.PositiveInfinity, 1.0)]
    public void TryWrite_NonFiniteHorizontalCoordinate_IsRefused(double x, double y)
    {
        Assert.Null(Write(Wkb(1, [x, y])));
        Assert.Null(Write(Wkb(2, [0, 0], [x, y])));
    }
}
