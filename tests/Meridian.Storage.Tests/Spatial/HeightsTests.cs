using Meridian.Storage.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace Meridian.Storage.Tests.Spatial;

public sealed class HeightsTests
{
    private static readonly GeometryFactory Factory = GeometryServices.Factory;

    [Fact]
    public void Of_tells_none_some_and_all()
    {
        Assert.Equal(HeightsPresent.None, Heights.Of(Factory.CreatePoint(new Coordinate(1, 2))));
        Assert.Equal(HeightsPresent.None, Heights.Of(Factory.CreatePoint(new CoordinateZ(1, 2, double.NaN))));
        Assert.Equal(HeightsPresent.None, Heights.Of(Factory.CreatePoint()));
        Assert.Equal(HeightsPresent.Some, Heights.Of(Factory.CreateLineString([new CoordinateZ(1, 2, 3), new Coordinate(4, 5)])));
        Assert.Equal(HeightsPresent.All, Heights.Of(Factory.CreateLineString([new CoordinateZ(1, 2, 3), new CoordinateZ(4, 5, -6)])));
    }

    [Fact]
    public void Fill_gives_missing_heights_zero_and_keeps_the_others_and_the_srid()
    {
        var line = Factory.CreateLineString([new CoordinateZ(1, 2, 3.25), new Coordinate(4, 5)]);
        line.SRID = 3857;

        var filled = Heights.Fill(line);

        Assert.Equal([3.25, 0], filled.Coordinates.Select(c => c.Z));
        Assert.Equal([(1.0, 2.0), (4.0, 5.0)], filled.Coordinates.Select(c => (c.X, c.Y)));
        Assert.Equal(3857, filled.SRID);
        Assert.Equal(HeightsPresent.All, Heights.Of(filled));
    }

    [Fact]
    public void Fill_drops_measures_and_returns_a_complete_geometry_as_it_is()
    {
        var sequence = new CoordinateArraySequence([new CoordinateZM(1, 2, 3, 4)], 4, 1);
        var measured = Factory.CreatePoint(sequence);
        var complete = Factory.CreatePoint(new CoordinateZ(1, 2, 3));

        var filled = (Point)Heights.Fill(measured);

        Assert.False(filled.CoordinateSequence.HasM);
        Assert.Equal(3, filled.Z);
        Assert.Same(complete, Heights.Fill(complete));
    }

    // A Shapefile's polylines and polygons are multi-part types even with one part, and a store's column is typed by them.
    [Fact]
    public void Fill_keeps_collections_of_one_part_and_their_type()
    {
        var oneLine = Factory.CreateMultiLineString([Factory.CreateLineString([new CoordinateZ(1, 2, 3), new Coordinate(4, 5)])]);
        var onePolygon = Factory.CreateMultiPolygon([Factory.CreatePolygon([new Coordinate(0, 0), new CoordinateZ(1, 0, 7), new Coordinate(1, 1), new Coordinate(0, 0)])]);
        var onePoint = Factory.CreateMultiPoint([Factory.CreatePoint(new Coordinate(1, 2))]);
        var collection = Factory.CreateGeometryCollection([Factory.CreatePoint(new CoordinateZ(1, 2, 3))]);

        Assert.IsType<MultiLineString>(Heights.Fill(oneLine));
        Assert.IsType<MultiPolygon>(Heights.Fill(onePolygon));
        Assert.IsType<MultiPoint>(Heights.Fill(onePoint));
        Assert.IsType<GeometryCollection>(Heights.Fill(collection));
        Assert.Equal([3, 0], Heights.Fill(oneLine).Coordinates.Select(c => c.Z));
        Assert.Equal([0, 7, 0, 0], Heights.Fill(onePolygon).Coordinates.Select(c => c.Z));
    }
}
