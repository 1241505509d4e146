using Meridian.Ingestion.Validation;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Valid;

namespace Meridian.Ingestion.Tests.Validation;

public sealed class SimplePolygonTests
{
    private static readonly GeometryFactory Factory = new();

    private static Polygon Wkt(string wkt) => (Polygon)new WKTReader().Read(wkt);

    [Theory]
    [InlineData("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")]
    [InlineData("POLYGON ((73.026743 -71.162215, 73.017739 -71.14662, 72.999732 -71.14662, 72.990728 -71.162215, 72.999732 -71.177809, 73.017739 -71.177809, 73.026743 -71.162215))")]
    [InlineData("POLYGON ((0 0, 0 1, 1 0, 0 0))")]
    public void Plain_rings_are_valid_without_IsValidOp(string wkt) => Assert.True(SimplePolygon.IsCertainlyValid(Wkt(wkt)));

    [Theory]
    [InlineData("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))")] // bow-tie
    [InlineData("POLYGON ((0 0, 1 0, 1 0, 1 1, 0 0))")] // repeated point: valid, but IsValidOp's to say
    [InlineData("POLYGON ((0 0, 2 0, 1 0, 1 1, 0 0))")] // spike back along an edge
    [InlineData("POLYGON ((0 0, 4 0, 4 4, 2 0, 0 4, 0 0))")] // touches itself at a vertex
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1))")] // a hole
    public void Anything_doubtful_is_left_to_IsValidOp(string wkt) => Assert.False(SimplePolygon.IsCertainlyValid(Wkt(wkt)));

    [Fact]
    public void It_never_calls_valid_a_ring_IsValidOp_calls_invalid()
    {
        // Vertices on a 4x4 grid: collinear runs, repeated points, touching and crossing segments abound.
        var random = new Random(20261130);
        var accepted = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var vertices = random.Next(3, 9);
            var coordinates = new Coordinate[vertices + 1];
            for (var i = 0; i < vertices; i++) coordinates[i] = new Coordinate(random.Next(4), random.Next(4));
            coordinates[vertices] = coordinates[0].Copy();
            var polygon = Factory.CreatePolygon(coordinates);

            if (!SimplePolygon.IsCertainlyValid(polygon)) continue;
            accepted++;
            Assert.True(new IsValidOp(polygon).IsValid, polygon.ToText());
        }
        Assert.True(accepted > 1_000, $"only {accepted} rings were accepted: the comparison proves little");
    }
}
