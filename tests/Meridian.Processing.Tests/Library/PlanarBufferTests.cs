using Meridian.Processing.Library;
using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Processing.Tests.Library;

public sealed class PlanarBufferTests
{
    private static readonly GeometryFactory Factory = GeometryServices.Factory;

    [Theory]
    [InlineData(500000, 5000000, 100)]
    [InlineData(123456.7891, 987654.3219, 1000)]
    [InlineData(-712345.5, -4321.25, 0.75)]
    [InlineData(3, 4, 250000)]
    public void Of_Point_TheVerticesNetTopologySuiteBuilds(double x, double y, double distance)
    {
        var point = Factory.CreatePoint(new Coordinate(x, y));

        var expected = point.Buffer(distance);
        var actual = PlanarBuffer.Of(point, distance);

        Assert.Equal(expected.GeometryType, actual.GeometryType);
        Assert.Equal(expected.Coordinates, actual.Coordinates);
    }

    [Theory]
    [InlineData("POINT (500000 5000000)", 0)]
    [InlineData("POINT (500000 5000000)", -10)]
    [InlineData("POINT (500000 5000000)", 0.0001)]
    [InlineData("POINT EMPTY", 10)]
    [InlineData("LINESTRING (0 0, 100 0)", 10)]
    [InlineData("POLYGON ((0 0, 100 0, 100 100, 0 0))", -5)]
    public void Of_OtherCases_AsNetTopologySuite(string wkt, double distance)
    {
        var geometry = new WKTReader(Factory.GeometryServices).Read(wkt);

        Assert.True(geometry.Buffer(distance).EqualsExact(PlanarBuffer.Of(geometry, distance)));
    }
}
